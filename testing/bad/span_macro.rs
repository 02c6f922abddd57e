//! `complain_about_second!(a b ...)`: a compile error located at the second
//! token (Span::located_at), so a check can compare where the error lands.
use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

#[proc_macro]
pub fn complain_about_second(input: TokenStream) -> TokenStream {
    let second = input.into_iter().nth(1).expect("complain_about_second! needs two tokens");
    let span = Span::call_site().located_at(second.span());
    let mut msg = Literal::string("the second token is wrong");
    msg.set_span(span);
    let mut bang = Punct::new('!', Spacing::Alone);
    bang.set_span(span);
    let mut args = Group::new(Delimiter::Parenthesis, TokenTree::Literal(msg).into());
    args.set_span(span);
    let mut semi = Punct::new(';', Spacing::Alone);
    semi.set_span(span);
    [
        TokenTree::Ident(Ident::new("compile_error", span)),
        TokenTree::Punct(bang),
        TokenTree::Group(args),
        TokenTree::Punct(semi),
    ]
    .into_iter()
    .collect()
}
