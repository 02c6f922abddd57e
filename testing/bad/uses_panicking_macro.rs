#[derive(panicking_macro::Panics)]
pub struct Victim;
