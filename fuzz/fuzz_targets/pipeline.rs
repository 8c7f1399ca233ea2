#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| newsx::fuzz::pipeline_text_and_html(data));
