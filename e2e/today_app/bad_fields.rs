// Errors of proc-macro-error2 from a wasm macro: abort! (caught by the
// macro's own #[proc_macro_error], which needs the module to unwind) and
// emit_error!; each must say the same at the same file:line:col as the
// macro built as a .so.
use fields::Fields;

#[derive(Fields)]
pub enum NotAStruct {
    A,
}

#[derive(Fields)]
pub struct Tuple(u32);

#[derive(Fields)]
pub struct Hidden {
    pub shown: u32,
    pub _hidden: u32,
}
