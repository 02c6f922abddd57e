//! `sandbox_report!()`: constants that say what this macro could reach
//! while it expanded: files, environment, clock, processes.
use proc_macro::TokenStream;
use std::time::{SystemTime, UNIX_EPOCH};

fn read(path: &str) -> String {
    match std::fs::read_to_string(path) {
        Ok(text) => text.trim().to_string(),
        Err(e) => format!("{:?}", e.kind()),
    }
}

#[proc_macro]
pub fn sandbox_report(_input: TokenStream) -> TokenStream {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let items = [
        ("MANIFEST_DIR", format!("{:?}", dir)),
        ("TEMPLATE", format!("{:?}", read(&format!("{}/template.txt", dir)))),
        ("UNDECLARED", format!("{:?}", read(&format!("{}/undeclared.txt", dir)))),
        ("HOST_FILE", format!("{:?}", read("/etc/passwd"))),
        ("VERSION", format!("{:?}", std::env::var("CARGO_PKG_VERSION").unwrap_or_default())),
        ("PKG_NAME", format!("{:?}", std::env::var("CARGO_PKG_NAME").unwrap_or_default())),
        ("RUSTC_ENV", format!("{:?}", std::env::var("SANDBOX_PROBE_SETTING").unwrap_or_default())),
        ("HOME_SET", format!("{}", std::env::var_os("HOME").is_some())),
        ("PATH_SET", format!("{}", std::env::var_os("PATH").is_some())),
        ("NOW", format!("{}u64", SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0))),
        ("SPAWN_FAILS", format!("{}", std::process::Command::new("/bin/sh").arg("-c").arg("true").status().is_err())),
        ("WRITE_FAILS", format!("{}", std::fs::write(format!("{}/written.txt", dir), "x").is_err())),
    ];
    let mut out = String::new();
    for (name, value) in items {
        let ty = if value.starts_with('"') { "&str" } else if value.ends_with("u64") { "u64" } else { "bool" };
        out.push_str(&format!("pub const {}: {} = {};\n", name, ty, value));
    }
    out.parse().unwrap()
}

/// `define_hidden_and_visible!()`: `let hidden = 1; let visible = 2;`, with
/// `hidden` at `Span::mixed_site()` (the macro's own local, which the
/// caller's code cannot see) and `visible` at `Span::call_site()`.
#[proc_macro]
pub fn define_hidden_and_visible(_input: TokenStream) -> TokenStream {
    use proc_macro::{Ident, Literal, Punct, Spacing, Span, TokenTree};
    let mut out = Vec::new();
    for (name, span, value) in [("hidden", Span::mixed_site(), 1), ("visible", Span::call_site(), 2)] {
        out.push(TokenTree::Ident(Ident::new("let", Span::call_site())));
        out.push(TokenTree::Ident(Ident::new(name, span)));
        out.push(TokenTree::Punct(Punct::new('=', Spacing::Alone)));
        out.push(TokenTree::Literal(Literal::i32_unsuffixed(value)));
        out.push(TokenTree::Punct(Punct::new(';', Spacing::Alone)));
    }
    out.into_iter().collect()
}
