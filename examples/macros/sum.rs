//! `sum!(1, 2, 3)`: the sum of integer literals, computed at compile time.
use proc_macro::{TokenStream, TokenTree};

#[proc_macro]
pub fn sum(input: TokenStream) -> TokenStream {
    let mut total: u64 = 0;
    for t in input {
        match t {
            TokenTree::Literal(l) => match l.to_string().parse::<u64>() {
                Ok(n) => total += n,
                Err(_) => return format!("compile_error!(\"sum!: {l} is not an integer\");").parse().unwrap(),
            },
            TokenTree::Punct(p) if p.as_char() == ',' => {}
            other => return format!("compile_error!(\"sum!: unexpected {other}\");").parse().unwrap(),
        }
    }
    format!("{total}u64").parse().unwrap()
}
