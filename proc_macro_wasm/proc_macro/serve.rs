//! The guest's entry point (module `__rules_rustc_wasm`), called from the
//! `main` that rules_rustc_wasm appends to a macro crate's root:
//!
//! ```ignore
//! fn main() {
//!     ::proc_macro::__rules_rustc_wasm::serve(&[
//!         ::proc_macro::__rules_rustc_wasm::Macro::Derive("Name", crate::fn_name),
//!     ])
//! }
//! ```
//!
//! or, one entry point per macro, from the exports `rules_rustc_wasm_attrs`
//! generates (`serve_derive`, `serve_attr`, `serve_bang`).
//!
//! `serve` reads one request from stdin, runs the macro it names and writes
//! the response frame at the end of stdout. A panic the macro does not
//! catch gives a status-1 frame with its message:
//! - built with `-Cpanic=unwind` (a toolchain's unwinding sysroot), the
//!   panic unwinds to `serve`, which catches it; a panic the macro catches
//!   itself (proc-macro-error's `abort!`) leaves no trace, as under rustc's
//!   own proc-macro bridge, which shows no panic message of a macro;
//! - with `-Cpanic=abort`, the panic hook writes the frame before the panic
//!   aborts the module.

use crate::wire::{MacroKind, Request, Response};
use crate::{convert, span, TokenStream};
use std::io::{Read, Write};
// PanicInfo is PanicHookInfo from rustc 1.81 on (deprecated since 1.82);
// rustc 1.63 has only PanicInfo.
#[allow(deprecated)]
use std::panic::{self, PanicInfo};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// A macro of the crate: its declared name and its function.
pub enum Macro {
    /// `#[proc_macro_derive(Name)]`: the derived trait's name.
    Derive(&'static str, fn(TokenStream) -> TokenStream),
    /// `#[proc_macro_attribute]`: the function's name; it gets the arguments, then the item.
    Attr(&'static str, fn(TokenStream, TokenStream) -> TokenStream),
    /// `#[proc_macro]`: the function's name.
    Bang(&'static str, fn(TokenStream) -> TokenStream),
}

static SERVING: AtomicBool = AtomicBool::new(false);

/// The message of the latest panic (None: its payload is not a string),
/// kept by the hook for `serve`.
static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// What a panic whose payload is not a string says in a module whose std
/// aborts: such panics are mostly meant to be caught.
const ABORTED_UNCAUGHT: &str = "the macro panicked with a payload that is not a string, as panics meant to be caught by the macro itself are (proc-macro-error's abort!): this module was built with panic=abort, where catch_unwind catches nothing; a toolchain with an unwinding wasm std (rustc_wasm_toolchain's unwinding_sysroot) runs it";

/// Whether a macro is being expanded (`proc_macro::is_available`).
pub(crate) fn serving() -> bool {
    SERVING.load(Ordering::Relaxed)
}

/// Serves one expansion: stdin has the request, the frame goes to stdout.
pub fn serve(macros: &[Macro]) {
    let response = match expand(macros) {
        Ok(response) => response,
        Err(message) => Response::Panic(message),
    };
    write_frame(&response);
}

fn expand(macros: &[Macro]) -> Result<Response, String> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("cannot read the request: {}", e))?;
    let request = Request::decode(&bytes).map_err(|e| format!("bad request: {}", e))?;
    let found = macros.iter().find(|m| match m {
        Macro::Derive(name, _) => request.kind == MacroKind::Derive && *name == request.name,
        Macro::Attr(name, _) => request.kind == MacroKind::Attr && *name == request.name,
        Macro::Bang(name, _) => request.kind == MacroKind::Bang && *name == request.name,
    });
    let found =
        found.ok_or_else(|| format!("this module has no {} macro named `{}`", request.kind.as_str(), request.name))?;
    let limits = convert::Limits { span_count: request.span_count, group_count: request.group_count };
    let bad = |e| format!("bad request: {}", e);
    let input = convert::from_wire(request.input, &limits).map_err(bad)?;
    let args = match request.attr_args {
        Some(args) => Some(convert::from_wire(args, &limits).map_err(bad)?),
        None => None,
    };
    span::reset(request.span_count);
    panic::set_hook(Box::new(report_panic));
    SERVING.store(true, Ordering::Relaxed);
    let run = panic::AssertUnwindSafe(|| match (found, args) {
        (Macro::Derive(_, f), _) | (Macro::Bang(_, f), _) => f(input),
        (Macro::Attr(_, f), Some(args)) => f(args, input),
        (Macro::Attr(..), None) => unreachable!("Request::decode checks has_attr"),
    });
    // Under panic=abort a panic never returns here: the hook has reported it.
    let output = panic::catch_unwind(run);
    SERVING.store(false, Ordering::Relaxed);
    match output {
        Ok(output) => Ok(Response::Ok { new_spans: span::derived(), stream: convert::to_wire(&output) }),
        Err(payload) => {
            // The hook's record, unless the macro replaced the hook.
            let recorded = PANIC_MESSAGE.lock().unwrap_or_else(|e| e.into_inner()).take();
            Err(recorded.or_else(|| payload_message(&*payload)).unwrap_or_else(|| "Box<dyn Any>".to_string()))
        }
    }
}

/// The panic hook: keeps the panic's message for `serve`; where the panic
/// ends the module (panic=abort, or a panic outside the macro's run, which
/// no catch_unwind of ours stops), writes it as a status-1 frame at once.
#[allow(deprecated)]
fn report_panic(info: &PanicInfo<'_>) {
    let message = payload_message(info.payload());
    if cfg!(panic = "abort") || !serving() {
        let message = match message {
            Some(message) => message,
            None if cfg!(panic = "abort") => ABORTED_UNCAUGHT.to_string(),
            None => "Box<dyn Any>".to_string(),
        };
        write_frame(&Response::Panic(message));
    } else {
        *PANIC_MESSAGE.lock().unwrap_or_else(|e| e.into_inner()) = message;
    }
}

/// The panic's message, if its payload is a string.
fn payload_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
        (Some(s), _) => Some(s.to_string()),
        (None, Some(s)) => Some(s.clone()),
        (None, None) => None,
    }
}

/// Writes the frame after whatever the macro printed, and flushes.
fn write_frame(response: &Response) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Nothing can be reported if stdout is gone: the runner sees no frame.
    let _ = out.write_all(&response.frame()).and_then(|()| out.flush());
}

/// Serves one expansion of the derive `name`, whose function is `f`: the
/// export that rules_rustc_wasm_attrs puts beside each macro function.
pub fn serve_derive(name: &'static str, f: fn(TokenStream) -> TokenStream) {
    serve(&[Macro::Derive(name, f)])
}

/// Serves one expansion of the attribute macro `name`.
pub fn serve_attr(name: &'static str, f: fn(TokenStream, TokenStream) -> TokenStream) {
    serve(&[Macro::Attr(name, f)])
}

/// Serves one expansion of the function-like macro `name`.
pub fn serve_bang(name: &'static str, f: fn(TokenStream) -> TokenStream) {
    serve(&[Macro::Bang(name, f)])
}
