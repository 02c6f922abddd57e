//! `#[traced]` (or `#[traced("label")]`): the function prints
//! `[trace] <label>` each time it is entered.
use proc_macro::{Delimiter, Group, TokenStream, TokenTree};

#[proc_macro_attribute]
pub fn traced(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut tokens: Vec<TokenTree> = item.into_iter().collect();
    let mut name = None;
    for pair in tokens.windows(2) {
        if let (TokenTree::Ident(kw), TokenTree::Ident(n)) = (&pair[0], &pair[1]) {
            if kw.to_string() == "fn" {
                name = Some(n.to_string());
                break;
            }
        }
    }
    let label = match (attr.is_empty(), name) {
        (false, _) => attr.to_string().trim_matches('"').to_string(),
        (true, Some(n)) => n,
        (true, None) => return "compile_error!(\"traced: expected a function\");".parse().unwrap(),
    };
    match tokens.pop() {
        Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => {
            let mut inner: TokenStream = format!("println!(\"[trace] {label}\");").parse().unwrap();
            inner.extend(body.stream());
            tokens.push(TokenTree::Group(Group::new(Delimiter::Brace, inner)));
            tokens.into_iter().collect()
        }
        _ => "compile_error!(\"traced: expected a function with a body\");".parse().unwrap(),
    }
}
