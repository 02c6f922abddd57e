//! `TokenStream`: a shared, copy-on-write sequence of token trees.

use crate::{lex, print, TokenTree};
use std::fmt;
use std::iter::FromIterator;
use std::rc::Rc;
use std::str::FromStr;

/// A sequence of token trees. Cloning is cheap (the trees are shared).
#[derive(Clone, Default)]
pub struct TokenStream(Rc<Vec<TokenTree>>);

impl TokenStream {
    /// An empty stream.
    pub fn new() -> TokenStream {
        TokenStream::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The trees, for printing and encoding.
    pub(crate) fn trees(&self) -> &[TokenTree] {
        &self.0
    }

    fn trees_mut(&mut self) -> &mut Vec<TokenTree> {
        Rc::make_mut(&mut self.0)
    }
}

/// Errors of `TokenStream::from_str` and `Literal::from_str`.
pub struct LexError {
    reason: String,
}

impl LexError {
    pub(crate) fn new(reason: String) -> LexError {
        LexError { reason }
    }
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot parse string into token stream")
    }
}

impl fmt::Debug for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LexError").field("reason", &self.reason).finish()
    }
}

impl std::error::Error for LexError {}

impl FromStr for TokenStream {
    type Err = LexError;

    /// Lexes Rust source; every token gets `Span::call_site()`.
    fn from_str(src: &str) -> Result<TokenStream, LexError> {
        lex::parse(src)
    }
}

impl fmt::Display for TokenStream {
    /// The text rustc 1.63 prints for the same tokens (its pretty printer's
    /// spacing and line breaking).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&print::trees_to_string(&self.0))
    }
}

impl fmt::Debug for TokenStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenStream ")?;
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl From<TokenTree> for TokenStream {
    fn from(tree: TokenTree) -> TokenStream {
        TokenStream(Rc::new(vec![tree]))
    }
}

impl FromIterator<TokenTree> for TokenStream {
    fn from_iter<I: IntoIterator<Item = TokenTree>>(trees: I) -> TokenStream {
        TokenStream(Rc::new(trees.into_iter().collect()))
    }
}

impl FromIterator<TokenStream> for TokenStream {
    fn from_iter<I: IntoIterator<Item = TokenStream>>(streams: I) -> TokenStream {
        let mut all = TokenStream::new();
        all.extend(streams);
        all
    }
}

impl Extend<TokenTree> for TokenStream {
    fn extend<I: IntoIterator<Item = TokenTree>>(&mut self, trees: I) {
        self.trees_mut().extend(trees);
    }
}

impl Extend<TokenStream> for TokenStream {
    fn extend<I: IntoIterator<Item = TokenStream>>(&mut self, streams: I) {
        for stream in streams {
            if self.is_empty() {
                *self = stream;
            } else {
                self.trees_mut().extend(stream);
            }
        }
    }
}

impl IntoIterator for TokenStream {
    type Item = TokenTree;
    type IntoIter = token_stream::IntoIter;

    fn into_iter(self) -> token_stream::IntoIter {
        let trees = Rc::try_unwrap(self.0).unwrap_or_else(|shared| (*shared).clone());
        token_stream::IntoIter(trees.into_iter())
    }
}

/// The iterator of `TokenStream`.
pub mod token_stream {
    use crate::TokenTree;

    /// The trees of a stream, in order; groups are not entered.
    #[derive(Clone)]
    pub struct IntoIter(pub(crate) std::vec::IntoIter<TokenTree>);

    impl Iterator for IntoIter {
        type Item = TokenTree;

        fn next(&mut self) -> Option<TokenTree> {
            self.0.next()
        }

        fn size_hint(&self) -> (usize, Option<usize>) {
            self.0.size_hint()
        }
    }
}
