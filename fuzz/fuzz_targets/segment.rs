#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsx::fuzz::segment(data));
