#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsx::fuzz::clean_html(data));
