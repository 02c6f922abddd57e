//! A crate root without any proc macro, given to wasm_proc_macro.
pub fn helper() -> u32 {
    1
}
