//! The binary encoding that carries token trees between the native bridge
//! (inside rustc) and the WebAssembly guest (the macro crate's module).
//!
//! This file is shared: both `proc_macro/lib.rs` and `bridge/lib.rs` include
//! it with `#[path = "../wire.rs"] mod wire;`, so it depends on nothing but
//! `std` and knows nothing of either side's `proc_macro` types. Each side uses
//! half of it (the bridge encodes requests and decodes responses, the guest
//! the other way round).
//!
//! The layout is described in `proc_macro_wasm/README.md` ("Wire format").
//! All integers are little-endian `u32` unless said otherwise; a string is a
//! `u32` byte length followed by UTF-8 bytes. Decoding never panics and never
//! allocates more than the input could hold: every length is checked against
//! the bytes that remain.

use std::convert::TryInto;

/// The first four bytes of a guest request.
pub const MAGIC: &[u8; 4] = b"RRWM";
/// The request format version this file reads and writes.
pub const VERSION: u32 = 1;
/// The eight bytes that end a guest's stdout, after the payload and its length.
pub const FRAME_END: &[u8; 8] = b"RRWM-END";
/// Groups nested deeper than this are refused, so that decoding (which
/// recurses) cannot exhaust the stack on hostile input.
pub const MAX_DEPTH: usize = 512;

/// A decoding failure: what was wrong, for the status-1 frame or the panic.
pub type Error = String;

/// The delimiter of a group, encoded as one byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delimiter {
    Parenthesis = 0,
    Brace = 1,
    Bracket = 2,
    None = 3,
}

impl Delimiter {
    fn from_u8(b: u8) -> Result<Self, Error> {
        Ok(match b {
            0 => Delimiter::Parenthesis,
            1 => Delimiter::Brace,
            2 => Delimiter::Bracket,
            3 => Delimiter::None,
            _ => return Err(format!("bad delimiter {}", b)),
        })
    }
}

/// One token tree. `G` is the group form, which differs between requests
/// ([`InputGroup`]) and responses ([`OutputGroup`]); the leaves are shared.
#[derive(Clone, Debug, PartialEq)]
pub enum Tree<G> {
    /// Tag 0 (and tag 4 in responses): see the group form.
    Group(G),
    /// Tag 1. `name` never starts with `r#`; `is_raw` says whether it had it.
    Ident { span: u32, is_raw: bool, name: String },
    /// Tag 2. `joint` is the spacing (false: Alone, true: Joint).
    Punct { span: u32, ch: char, joint: bool },
    /// Tag 3. `text` is the literal's source text, e.g. `1u8` or `"a\n"`.
    Literal { span: u32, text: String },
}

/// A sequence of token trees.
pub type Stream<G> = Vec<Tree<G>>;

/// A group as the host sends it: with its open and close spans and its index
/// in the host's table of input groups (preorder, attribute arguments first).
#[derive(Clone, Debug, PartialEq)]
pub struct InputGroup {
    pub delimiter: Delimiter,
    pub span: u32,
    pub span_open: u32,
    pub span_close: u32,
    pub index: u32,
    pub stream: Stream<InputGroup>,
}

/// A group as the guest sends it back.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputGroup {
    /// Tag 0: a group the macro built (or changed).
    New { delimiter: Delimiter, span: u32, stream: Stream<OutputGroup> },
    /// Tag 4: the input group of this index, unchanged.
    Input(u32),
}

/// How a group form is written and read; implemented by the two forms.
pub trait GroupForm: Sized {
    /// The fewest bytes one tree of this form can take, tag included.
    const MIN_TREE_LEN: usize;
    /// Writes the group, tag included.
    fn write(&self, w: &mut Vec<u8>);
    /// Reads a group whose tag (not a leaf tag) has just been read.
    fn read(tag: u8, r: &mut Reader, depth: usize) -> Result<Self, Error>;
}

impl GroupForm for InputGroup {
    const MIN_TREE_LEN: usize = 9; // a literal with an empty text
    fn write(&self, w: &mut Vec<u8>) {
        w.push(0);
        w.push(self.delimiter as u8);
        for n in [self.span, self.span_open, self.span_close, self.index] {
            put_u32(w, n);
        }
        write_stream(w, &self.stream);
    }
    fn read(tag: u8, r: &mut Reader, depth: usize) -> Result<Self, Error> {
        if tag != 0 {
            return Err(format!("bad tree tag {}", tag));
        }
        Ok(InputGroup {
            delimiter: Delimiter::from_u8(r.u8()?)?,
            span: r.u32()?,
            span_open: r.u32()?,
            span_close: r.u32()?,
            index: r.u32()?,
            stream: read_stream(r, depth + 1)?,
        })
    }
}

impl GroupForm for OutputGroup {
    const MIN_TREE_LEN: usize = 5; // an input group reference
    fn write(&self, w: &mut Vec<u8>) {
        match self {
            OutputGroup::New { delimiter, span, stream } => {
                w.push(0);
                w.push(*delimiter as u8);
                put_u32(w, *span);
                write_stream(w, stream);
            }
            OutputGroup::Input(index) => {
                w.push(4);
                put_u32(w, *index);
            }
        }
    }
    fn read(tag: u8, r: &mut Reader, depth: usize) -> Result<Self, Error> {
        match tag {
            0 => Ok(OutputGroup::New {
                delimiter: Delimiter::from_u8(r.u8()?)?,
                span: r.u32()?,
                stream: read_stream(r, depth + 1)?,
            }),
            4 => Ok(OutputGroup::Input(r.u32()?)),
            _ => Err(format!("bad tree tag {}", tag)),
        }
    }
}

/// The kind of macro a request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacroKind {
    Derive,
    Attr,
    Bang,
}

impl MacroKind {
    /// The name used on the wire and in the declarations section.
    pub fn as_str(self) -> &'static str {
        match self {
            MacroKind::Derive => "derive",
            MacroKind::Attr => "attr",
            MacroKind::Bang => "bang",
        }
    }
}

/// One expansion, as the bridge asks the guest for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub kind: MacroKind,
    /// The macro's declared name (derive: the trait name).
    pub name: String,
    /// Span ids below this are known to the host (0 call site, 1 mixed site).
    pub span_count: u32,
    /// Input groups are numbered below this.
    pub group_count: u32,
    /// The attribute's arguments; present exactly for attribute macros.
    pub attr_args: Option<Stream<InputGroup>>,
    /// The input (the item, for attribute macros).
    pub input: Stream<InputGroup>,
}

/// How a span the guest made is derived from two earlier ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpanOp {
    ResolvedAt = 0,
    LocatedAt = 1,
    Join = 2,
}

/// Span id `span_count + i` is `a.op(b)` for the i-th entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NewSpan {
    pub op: SpanOp,
    pub a: u32,
    pub b: u32,
}

/// What the guest answers (the frame's payload).
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// Status 0: the spans the guest derived, then the output.
    Ok { new_spans: Vec<NewSpan>, stream: Stream<OutputGroup> },
    /// Status 1: the macro panicked (or the request was bad) with this message.
    Panic(String),
}

/// A cursor over bytes being decoded.
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Takes the next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.remaining() {
            return Err(format!("truncated: {} bytes needed at offset {}, {} left", n, self.pos, self.remaining()));
        }
        let b = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(b)
    }

    pub fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.bytes(1)?[0])
    }

    pub fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(self.bytes(4)?.try_into().unwrap()))
    }

    /// A `u32` that counts things of at least `min_len` bytes each, checked
    /// against what remains so that it can size an allocation.
    pub fn count(&mut self, min_len: usize) -> Result<usize, Error> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_len) > self.remaining() {
            return Err(format!("truncated: {} entries announced, {} bytes left", n, self.remaining()));
        }
        Ok(n)
    }

    pub fn str(&mut self) -> Result<String, Error> {
        let n = self.u32()? as usize;
        let b = self.bytes(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| "string is not UTF-8".to_string())
    }

    fn bool(&mut self, what: &str) -> Result<bool, Error> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(format!("bad {} byte {}", what, b)),
        }
    }

    /// Fails unless everything was read.
    pub fn finish(&self) -> Result<(), Error> {
        if self.remaining() != 0 {
            return Err(format!("{} bytes of trailing data", self.remaining()));
        }
        Ok(())
    }
}

pub fn put_u32(w: &mut Vec<u8>, n: u32) {
    w.extend_from_slice(&n.to_le_bytes());
}

pub fn put_str(w: &mut Vec<u8>, s: &str) {
    put_u32(w, len_u32(s.len()));
    w.extend_from_slice(s.as_bytes());
}

/// A length as the wire's `u32`; nothing this large is ever sent.
pub fn len_u32(n: usize) -> u32 {
    n.try_into().expect("more than 4 GiB in one message")
}

pub fn write_stream<G: GroupForm>(w: &mut Vec<u8>, stream: &[Tree<G>]) {
    put_u32(w, len_u32(stream.len()));
    for tree in stream {
        match tree {
            Tree::Group(g) => g.write(w),
            Tree::Ident { span, is_raw, name } => {
                w.push(1);
                put_u32(w, *span);
                w.push(*is_raw as u8);
                put_str(w, name);
            }
            Tree::Punct { span, ch, joint } => {
                w.push(2);
                put_u32(w, *span);
                put_u32(w, *ch as u32);
                w.push(*joint as u8);
            }
            Tree::Literal { span, text } => {
                w.push(3);
                put_u32(w, *span);
                put_str(w, text);
            }
        }
    }
}

pub fn read_stream<G: GroupForm>(r: &mut Reader, depth: usize) -> Result<Stream<G>, Error> {
    if depth > MAX_DEPTH {
        return Err(format!("groups nested deeper than {}", MAX_DEPTH));
    }
    let n = r.count(G::MIN_TREE_LEN)?;
    let mut stream = Vec::with_capacity(n);
    for _ in 0..n {
        let tag = r.u8()?;
        stream.push(match tag {
            1 => Tree::Ident { span: r.u32()?, is_raw: r.bool("is_raw")?, name: r.str()? },
            2 => {
                let span = r.u32()?;
                let code = r.u32()?;
                let ch = char::from_u32(code).ok_or_else(|| format!("bad char {:#x}", code))?;
                Tree::Punct { span, ch, joint: r.bool("spacing")? }
            }
            3 => Tree::Literal { span: r.u32()?, text: r.str()? },
            _ => Tree::Group(G::read(tag, r, depth)?),
        });
    }
    Ok(stream)
}

impl Request {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Vec::new();
        w.extend_from_slice(MAGIC);
        put_u32(&mut w, VERSION);
        put_str(&mut w, self.kind.as_str());
        put_str(&mut w, &self.name);
        put_u32(&mut w, self.span_count);
        put_u32(&mut w, self.group_count);
        w.push(self.attr_args.is_some() as u8);
        if let Some(args) = &self.attr_args {
            write_stream(&mut w, args);
        }
        write_stream(&mut w, &self.input);
        w
    }

    pub fn decode(data: &[u8]) -> Result<Request, Error> {
        let mut r = Reader::new(data);
        if r.bytes(4)? != MAGIC {
            return Err("not a rules_rustc_wasm request (bad magic)".to_string());
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(format!("request version {}, this guest reads {}", version, VERSION));
        }
        let kind = match r.str()?.as_str() {
            "derive" => MacroKind::Derive,
            "attr" => MacroKind::Attr,
            "bang" => MacroKind::Bang,
            other => return Err(format!("unknown macro kind {:?}", other)),
        };
        let name = r.str()?;
        let span_count = r.u32()?;
        let group_count = r.u32()?;
        let has_attr = r.bool("has_attr")?;
        if has_attr != (kind == MacroKind::Attr) {
            return Err(format!("has_attr is {} for a {} macro", has_attr as u8, kind.as_str()));
        }
        let attr_args = if has_attr { Some(read_stream(&mut r, 0)?) } else { None };
        let input = read_stream(&mut r, 0)?;
        r.finish()?;
        Ok(Request { kind, name, span_count, group_count, attr_args, input })
    }
}

impl Response {
    /// The payload (status byte first), without the frame's trailer.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Vec::new();
        match self {
            Response::Ok { new_spans, stream } => {
                w.push(0);
                put_u32(&mut w, len_u32(new_spans.len()));
                for s in new_spans {
                    w.push(s.op as u8);
                    put_u32(&mut w, s.a);
                    put_u32(&mut w, s.b);
                }
                write_stream(&mut w, stream);
            }
            Response::Panic(message) => {
                w.push(1);
                put_str(&mut w, message);
            }
        }
        w
    }

    pub fn decode(payload: &[u8]) -> Result<Response, Error> {
        let mut r = Reader::new(payload);
        let response = match r.u8()? {
            0 => {
                let n = r.count(9)?;
                let mut new_spans = Vec::with_capacity(n);
                for _ in 0..n {
                    let op = match r.u8()? {
                        0 => SpanOp::ResolvedAt,
                        1 => SpanOp::LocatedAt,
                        2 => SpanOp::Join,
                        b => return Err(format!("bad span op {}", b)),
                    };
                    new_spans.push(NewSpan { op, a: r.u32()?, b: r.u32()? });
                }
                Response::Ok { new_spans, stream: read_stream(&mut r, 0)? }
            }
            1 => Response::Panic(r.str()?),
            b => return Err(format!("bad response status {}", b)),
        };
        r.finish()?;
        Ok(response)
    }

    /// The whole frame the guest writes at the end of its stdout.
    pub fn frame(&self) -> Vec<u8> {
        let mut w = self.encode();
        let len = len_u32(w.len());
        put_u32(&mut w, len);
        w.extend_from_slice(FRAME_END);
        w
    }
}

/// Splits a guest's stdout into what the macro printed and the frame's
/// payload.
pub fn split_frame(stdout: &[u8]) -> Result<(&[u8], &[u8]), Error> {
    let trailer = 4 + FRAME_END.len();
    if stdout.len() < trailer || &stdout[stdout.len() - FRAME_END.len()..] != FRAME_END {
        return Err("the guest's stdout does not end with a response frame".to_string());
    }
    let len_at = stdout.len() - trailer;
    let len = u32::from_le_bytes(stdout[len_at..len_at + 4].try_into().unwrap()) as usize;
    if len > len_at {
        return Err(format!("the response frame announces {} bytes, {} precede it", len, len_at));
    }
    Ok((&stdout[..len_at - len], &stdout[len_at - len..len_at]))
}
