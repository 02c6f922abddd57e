// proc-macro-error's abort!: the macro's own #[proc_macro_error] catches
// the panic and reports the error at the enum's name.
#[non_empty::non_empty]
pub enum Unit {
    Only,
}
