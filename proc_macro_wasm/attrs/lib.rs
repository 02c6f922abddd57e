//! `rules_rustc_wasm_attrs`: the attribute macros that stand in for
//! `#[proc_macro]`, `#[proc_macro_derive]` and `#[proc_macro_attribute]`
//! when a macro crate is compiled into a WebAssembly module.
//!
//! rustc accepts those three attributes only in a crate of type
//! `proc-macro`, which it cannot build for wasm32. So `runner macro-srcs`
//! renames them in the crate root (`#[proc_macro_derive(..)]` becomes
//! `#[rules_rustc_wasm_proc_macro_derive(..)]`, also inside `cfg_attr` and
//! `macro_rules!` bodies) and rustc itself evaluates cfgs and expands
//! macros as usual; then each of these attribute macros, a native proc
//! macro run by that rustc, keeps the function as it is and puts beside it:
//! - its declaration, one line of the `.rustc_proc_macro_decls` custom
//!   section (`derive:Name:function[:attr,..]`, `attr:name:function`,
//!   `bang:name:function`), which the linker joins for the whole module;
//! - an export `rules_rustc_wasm:<kind>:<name>` that serves one expansion
//!   of it (`proc_macro::__rules_rustc_wasm::serve_*` of our proc_macro).
//!
//! Other attribute macros on the function may look for the original
//! attribute (proc-macro-error's `#[proc_macro_error]` does), so each of
//! these runs twice: first it puts the original attribute back in front
//! of the function's other attributes and itself after them; when it runs
//! again, the others have expanded, and it takes the original away. An
//! attribute macro written before it would expand before it and see the
//! renamed attribute: the rename puts `#[rules_rustc_wasm_lead]` in front of
//! the first of them, which makes that first run happen first.
extern crate proc_macro;

use proc_macro::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

/// Stands in for `#[proc_macro]`.
#[proc_macro_attribute]
pub fn rules_rustc_wasm_proc_macro(args: TokenStream, item: TokenStream) -> TokenStream {
    register(Kind::Bang, args, item)
}

/// Stands in for `#[proc_macro_derive(Name, attributes(..))]`.
#[proc_macro_attribute]
pub fn rules_rustc_wasm_proc_macro_derive(args: TokenStream, item: TokenStream) -> TokenStream {
    register(Kind::Derive, args, item)
}

/// Stands in for `#[proc_macro_attribute]`.
#[proc_macro_attribute]
pub fn rules_rustc_wasm_proc_macro_attribute(args: TokenStream, item: TokenStream) -> TokenStream {
    register(Kind::Attr, args, item)
}

/// Put in front of the attributes that precede a renamed one: it does that
/// attribute's first run (see the crate's doc) before any of them expands.
#[proc_macro_attribute]
pub fn rules_rustc_wasm_lead(args: TokenStream, item: TokenStream) -> TokenStream {
    let (mut attrs, rest) = split_attributes(item);
    let ours = attrs.iter().enumerate().find_map(|(i, a)| {
        let kind = match attribute_name(a)?.strip_prefix("rules_rustc_wasm_")? {
            "proc_macro" => Kind::Bang,
            "proc_macro_derive" => Kind::Derive,
            "proc_macro_attribute" => Kind::Attr,
            _ => return None,
        };
        Some((i, kind))
    });
    match ours {
        Some((i, kind)) if args.is_empty() => {
            let ours_args = attribute_args(&attrs.remove(i));
            first_run(kind, ours_args, attrs, rest)
        }
        // Under a cfg_attr rustc has not evaluated yet, or none: the item
        // as it is (the renamed attribute runs when its turn comes).
        _ => {
            let mut out = TokenStream::new();
            attrs.into_iter().for_each(|a| out.extend(a));
            out.extend(rest);
            out
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Bang,
    Derive,
    Attr,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Bang => "bang",
            Kind::Derive => "derive",
            Kind::Attr => "attr",
        }
    }

    fn attribute(self) -> &'static str {
        match self {
            Kind::Bang => "proc_macro",
            Kind::Derive => "proc_macro_derive",
            Kind::Attr => "proc_macro_attribute",
        }
    }
}

fn register(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let (attrs, rest) = split_attributes(item);
    let original = attrs.iter().position(|a| attribute_name(a).as_deref() == Some(kind.attribute()));
    let original = match original {
        Some(i) => i,
        None => {
            // The first run: the original attribute in front, this one last.
            return first_run(kind, args, attrs, rest);
        }
    };
    let mut item = TokenStream::new();
    for (i, a) in attrs.into_iter().enumerate() {
        if i != original {
            item.extend(a);
        }
    }
    item.extend(rest);
    match registration(kind, args, &item) {
        Ok(extra) => {
            let mut out = item;
            out.extend(extra.parse::<TokenStream>().expect("the registration is valid Rust"));
            out
        }
        Err(message) => {
            let mut out = item;
            out.extend(format!("compile_error!({:?});", message).parse::<TokenStream>().expect("compile_error! is valid Rust"));
            out
        }
    }
}

/// The items that declare and export the macro function `item`.
fn registration(kind: Kind, args: TokenStream, item: &TokenStream) -> Result<String, String> {
    let function = public_function(kind, item)?;
    let (name, helpers) = match kind {
        Kind::Derive => derive_args(args)?,
        _ => {
            if !args.is_empty() {
                return Err(format!("`#[{}]` takes no arguments", kind.attribute()));
            }
            (function.trim_start_matches("r#").to_string(), Vec::new())
        }
    };
    let mut line = format!("{}:{}:{}", kind.word(), name, function.trim_start_matches("r#"));
    if !helpers.is_empty() {
        line.push(':');
        line.push_str(&helpers.join(","));
    }
    line.push('\n');
    // Derives, attribute and function-like macros share one namespace: a
    // second macro of the name is rustc's "defined multiple times" error.
    Ok(format!(
        "#[doc(hidden)]
        #[allow(dead_code, non_camel_case_types)]
        enum rules_rustc_wasm_proc_macro_named_{name} {{}}
        const _: () = {{
            #[link_section = \".rustc_proc_macro_decls\"]
            #[used]
            static DECLARATION: [u8; {len}] = *b{line:?};
            #[export_name = \"rules_rustc_wasm:{kind}:{name}\"]
            extern \"C\" fn expand() {{
                ::proc_macro::__rules_rustc_wasm::serve_{kind}({name:?}, {function})
            }}
        }};",
        len = line.len(),
        line = line,
        kind = kind.word(),
        name = name,
        function = function,
    ))
}

/// The name of the `pub fn` the attribute is on (with `r#` if raw).
fn public_function(kind: Kind, item: &TokenStream) -> Result<String, String> {
    let mut tokens = item.clone().into_iter().peekable();
    let mut public = false;
    while let Some(t) = tokens.next() {
        match &t {
            // Other attributes: `#` and its bracketed group.
            TokenTree::Punct(p) if p.as_char() == '#' => {
                tokens.next();
            }
            TokenTree::Ident(i) if i.to_string() == "pub" => {
                if let Some(TokenTree::Group(g)) = tokens.peek() {
                    if g.delimiter() == Delimiter::Parenthesis {
                        return Err(format!("functions tagged with `#[{}]` must be `pub`, not `pub{}`", kind.attribute(), g));
                    }
                }
                public = true;
            }
            TokenTree::Ident(i) if i.to_string() == "fn" => {
                return match tokens.next() {
                    Some(TokenTree::Ident(name)) if public => Ok(name.to_string()),
                    Some(TokenTree::Ident(_)) => Err(format!("functions tagged with `#[{}]` must be `pub`", kind.attribute())),
                    _ => Err(format!("the `#[{}]` attribute may only be used on bare functions", kind.attribute())),
                };
            }
            TokenTree::Ident(i) if ["extern", "unsafe", "async", "const"].contains(&i.to_string().as_str()) => {
                return Err(format!("the `#[{}]` attribute may only be used on bare functions", kind.attribute()));
            }
            _ => return Err(format!("the `#[{}]` attribute may only be used on bare functions", kind.attribute())),
        }
    }
    Err(format!("the `#[{}]` attribute may only be used on bare functions", kind.attribute()))
}

/// `Name` or `Name, attributes(a, b)`, with optional trailing commas.
fn derive_args(args: TokenStream) -> Result<(String, Vec<String>), String> {
    let usage = "attribute must be of the form `#[proc_macro_derive(TraitName, attributes(name1, name2, ...))]`";
    let mut tokens = args.into_iter();
    let name = match tokens.next() {
        Some(TokenTree::Ident(i)) => i.to_string(),
        _ => return Err(usage.to_string()),
    };
    let mut helpers = Vec::new();
    match tokens.next() {
        None => return Ok((name, helpers)),
        Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
        _ => return Err(usage.to_string()),
    }
    match tokens.next() {
        None => return Ok((name, helpers)),
        Some(TokenTree::Ident(i)) if i.to_string() == "attributes" => {}
        _ => return Err(usage.to_string()),
    }
    match tokens.next() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
            let mut expect_name = true;
            for t in g.stream() {
                match t {
                    TokenTree::Ident(i) if expect_name => {
                        helpers.push(i.to_string());
                        expect_name = false;
                    }
                    TokenTree::Punct(p) if p.as_char() == ',' && !expect_name => expect_name = true,
                    _ => return Err(usage.to_string()),
                }
            }
        }
        _ => return Err(usage.to_string()),
    }
    match (tokens.next(), tokens.next()) {
        (None, None) => Ok((name, helpers)),
        (Some(TokenTree::Punct(p)), None) if p.as_char() == ',' => Ok((name, helpers)),
        _ => Err(usage.to_string()),
    }
}

/// The item again, with the original attribute in front of its other
/// attributes and this attribute macro after them.
fn first_run(kind: Kind, args: TokenStream, attrs: Vec<TokenStream>, rest: Vec<TokenTree>) -> TokenStream {
    let mut out = attribute(Ident::new(kind.attribute(), Span::call_site()), args.clone());
    for a in attrs {
        out.extend(a);
    }
    out.extend(attribute(Ident::new(&format!("rules_rustc_wasm_{}", kind.attribute()), Span::call_site()), args));
    out.extend(rest);
    out
}

/// The item's outer attributes (each `#` and its bracketed group), and the rest.
fn split_attributes(item: TokenStream) -> (Vec<TokenStream>, Vec<TokenTree>) {
    let mut tokens: Vec<TokenTree> = item.into_iter().collect();
    let mut attrs = Vec::new();
    let mut i = 0;
    while i + 1 < tokens.len() {
        match (&tokens[i], &tokens[i + 1]) {
            (TokenTree::Punct(p), TokenTree::Group(g)) if p.as_char() == '#' && g.delimiter() == Delimiter::Bracket => {
                attrs.push(tokens[i..i + 2].iter().cloned().collect());
                i += 2;
            }
            _ => break,
        }
    }
    let rest = tokens.split_off(i);
    (attrs, rest)
}

/// The name of an attribute `#[name ...]`, if it is one identifier.
fn attribute_name(attr: &TokenStream) -> Option<String> {
    match attr.clone().into_iter().nth(1) {
        Some(TokenTree::Group(g)) => match g.stream().into_iter().next() {
            Some(TokenTree::Ident(i)) => Some(i.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The arguments of an attribute `#[name(args)]`; empty for `#[name]`.
fn attribute_args(attr: &TokenStream) -> TokenStream {
    match attr.clone().into_iter().nth(1) {
        Some(TokenTree::Group(g)) => match g.stream().into_iter().nth(1) {
            Some(TokenTree::Group(args)) if args.delimiter() == Delimiter::Parenthesis => args.stream(),
            _ => TokenStream::new(),
        },
        _ => TokenStream::new(),
    }
}

/// `#[name(args)]`, or `#[name]` without args.
fn attribute(name: Ident, args: TokenStream) -> TokenStream {
    let mut inner: TokenStream = TokenTree::Ident(name).into();
    if !args.is_empty() {
        inner.extend([TokenTree::Group(Group::new(Delimiter::Parenthesis, args))]);
    }
    [TokenTree::Punct(Punct::new('#', Spacing::Alone)), TokenTree::Group(Group::new(Delimiter::Bracket, inner))].into_iter().collect()
}
