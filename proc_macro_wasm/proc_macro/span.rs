//! `Span`: an id the host can map back to a real span.
//!
//! Ids below the request's `span_count` name spans the host knows (0 is the
//! call site, 1 the mixed site, the rest came with the input). A span the
//! guest derives (`resolved_at`, `located_at`, `join`) gets the next id and
//! is recorded as an operation on two earlier ids; the response carries the
//! operations so that the host can replay them.

use crate::wire::{NewSpan, SpanOp};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

/// A region of source code, with its macro-hygiene information.
#[derive(Clone, Copy)]
pub struct Span(pub(crate) u32);

/// The spans derived in this expansion.
struct Table {
    /// Ids below this are the host's.
    known: u32,
    derived: Vec<NewSpan>,
    ids: HashMap<NewSpan, u32>,
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(Table { known: 2, derived: Vec::new(), ids: HashMap::new() });
}

/// Starts an expansion whose request knows `known` span ids.
pub(crate) fn reset(known: u32) {
    TABLE.with(|t| *t.borrow_mut() = Table { known, derived: Vec::new(), ids: HashMap::new() });
}

/// The spans derived so far, in id order after the known ones.
pub(crate) fn derived() -> Vec<NewSpan> {
    TABLE.with(|t| t.borrow().derived.clone())
}

fn derive(op: SpanOp, a: Span, b: Span) -> Span {
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        let entry = NewSpan { op, a: a.0, b: b.0 };
        if let Some(&id) = t.ids.get(&entry) {
            return Span(id);
        }
        let id = t.known + t.derived.len() as u32;
        t.derived.push(entry);
        t.ids.insert(entry, id);
        Span(id)
    })
}

impl Span {
    /// The span of the macro invocation.
    pub fn call_site() -> Span {
        Span(0)
    }

    /// The call site's location with `macro_rules`-like (mixed) hygiene.
    pub fn mixed_site() -> Span {
        Span(1)
    }

    /// A span with the location of `self` and the name resolution of `other`.
    pub fn resolved_at(&self, other: Span) -> Span {
        derive(SpanOp::ResolvedAt, *self, other)
    }

    /// A span with the location of `other` and the name resolution of `self`.
    pub fn located_at(&self, other: Span) -> Span {
        derive(SpanOp::LocatedAt, *self, other)
    }

    /// A span covering `self` and `other`. The host (a stable rustc, which
    /// cannot join spans) uses `self`, so this is never `None`.
    pub fn join(&self, other: Span) -> Option<Span> {
        Some(derive(SpanOp::Join, *self, other))
    }

    /// The source text behind the span: the guest does not have it.
    pub fn source_text(&self) -> Option<String> {
        None
    }

    /// Where the span starts, as an empty span (stable in rustc 1.88): see
    /// `no_locations`.
    pub fn start(&self) -> Span {
        no_locations("start")
    }

    /// Where the span ends, as an empty span (rustc 1.88): see `no_locations`.
    pub fn end(&self) -> Span {
        no_locations("end")
    }

    /// The 1-based line the span starts on (rustc 1.88): see `no_locations`.
    pub fn line(&self) -> usize {
        no_locations("line")
    }

    /// The 1-based column the span starts at (rustc 1.88): see `no_locations`.
    pub fn column(&self) -> usize {
        no_locations("column")
    }

    /// The path of the span's source file, for display (rustc 1.88): see
    /// `no_locations`.
    pub fn file(&self) -> String {
        no_locations("file")
    }

    /// The span's source file on the local file system (rustc 1.88): see
    /// `no_locations`.
    pub fn local_file(&self) -> Option<std::path::PathBuf> {
        no_locations("local_file")
    }

    /// The span's byte range in its file (unstable): see `no_locations`.
    pub fn byte_range(&self) -> std::ops::Range<usize> {
        no_locations("byte_range")
    }
}

/// A wasm macro is given token trees with span ids, not source locations,
/// so it cannot answer where a span is: rather than a made-up answer, the
/// expansion fails with a message that names the call (as a panic, which the
/// host reports as the macro's error at its call site).
fn no_locations(method: &str) -> ! {
    panic!(
        "proc_macro::Span::{}: a WebAssembly proc macro built by rules_rustc_wasm is not given source locations (file, line, column, byte range)",
        method
    )
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
