//! A helper library of the proc macros: it is compiled for wherever the
//! macros run, and it is not passed on to the macros' users.

/// Turns `RightTriangle` into `right triangle`.
pub fn words(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push(' ');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
