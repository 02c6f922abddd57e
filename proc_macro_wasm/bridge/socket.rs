//! The connection to the runner: one Unix stream socket per loaded shim,
//! opened on first use, with strictly sequential request/response frames.
//!
//! Request frame: `u32` length of the rest, `str` key, the guest request.
//! Response frame: `u32` length of the rest, `u8` status (0 ok, 1 the macro
//! panicked, 2 the expansion failed), stdout (a `u32` length and the bytes
//! the macro printed, which need not be UTF-8), then the guest's payload
//! (status 0) or a `str` message (1, 2).

use crate::wire::{self, Reader};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::Mutex;

/// The environment variable with the socket's path.
const SOCKET_ENV: &str = "RULES_RUSTC_WASM_MACRO_SOCKET";
/// Responses larger than this are refused (a broken runner, not a macro).
const MAX_RESPONSE: usize = 1 << 30;

static CONNECTION: Mutex<Option<UnixStream>> = Mutex::new(None);

/// The runner's answer.
pub(crate) struct Reply {
    pub status: u8,
    /// What the guest printed.
    pub stdout: String,
    /// The guest payload (status 0) or the message (others).
    pub body: Vec<u8>,
}

impl Reply {
    /// The message of a status 1 or 2 reply.
    pub(crate) fn message(&self) -> Result<String, String> {
        let mut r = Reader::new(&self.body);
        let message = r.str()?;
        r.finish()?;
        Ok(message)
    }
}

/// The crate a key belongs to (`<crate>-<16 hex digits>`).
pub(crate) fn crate_name(key: &str) -> &str {
    key.rsplit_once('-').map_or(key, |(name, _)| name)
}

/// Sends one request for module `key` and waits for the answer.
pub(crate) fn call(key: &str, request: &[u8]) -> Result<Reply, String> {
    let mut slot = CONNECTION.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if slot.is_none() {
        *slot = Some(connect(key)?);
    }
    let result = exchange(slot.as_mut().unwrap(), key, request);
    if result.is_err() {
        // The stream may be out of step: the next call reconnects.
        *slot = None;
    }
    result.map_err(|e| format!("`{}`: lost the runner's macro socket: {}", crate_name(key), e))
}

fn connect(key: &str) -> Result<UnixStream, String> {
    let path = std::env::var_os(SOCKET_ENV).ok_or_else(|| {
        format!(
            "`{}` is a WebAssembly proc macro: it expands only when rustc runs under rules_rustc_wasm's runner ({} is not set)",
            crate_name(key),
            SOCKET_ENV
        )
    })?;
    UnixStream::connect(&path)
        .map_err(|e| format!("`{}`: cannot connect to the runner's macro socket {:?}: {}", crate_name(key), path, e))
}

fn exchange(stream: &mut UnixStream, key: &str, request: &[u8]) -> Result<Reply, String> {
    let mut frame = Vec::with_capacity(8 + key.len() + request.len());
    wire::put_u32(&mut frame, wire::len_u32(4 + key.len() + request.len()));
    wire::put_str(&mut frame, key);
    frame.extend_from_slice(request);
    stream.write_all(&frame).map_err(|e| e.to_string())?;

    let mut len = [0u8; 4];
    stream.read_exact(&mut len).map_err(|e| e.to_string())?;
    let len = u32::from_le_bytes(len) as usize;
    if len > MAX_RESPONSE {
        return Err(format!("a response of {} bytes", len));
    }
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).map_err(|e| e.to_string())?;

    let mut r = Reader::new(&body);
    let status = r.u8()?;
    // What the macro printed, as it printed it: the runner passes its bytes
    // on, UTF-8 or not, so they are read as bytes (a `str` of the frame
    // that `Reader::str` would refuse), and the whole frame is read.
    let printed = r.u32().and_then(|n| r.bytes(n as usize))?;
    let stdout = stdout_text(key, printed);
    if status > 2 {
        return Err(format!("unknown status {}", status));
    }
    let rest = r.bytes(r.remaining())?.to_vec();
    Ok(Reply { status, stdout, body: rest })
}

/// The text of what a macro printed. A native macro's bytes go to rustc's
/// stdout as they are; here they pass through a `String`, so bytes that
/// are not UTF-8 become U+FFFD, and a warning says so, rather than the
/// expansion failing over what it printed.
fn stdout_text(key: &str, printed: &[u8]) -> String {
    match String::from_utf8_lossy(printed) {
        std::borrow::Cow::Borrowed(text) => text.to_string(),
        std::borrow::Cow::Owned(text) => {
            eprintln!(
                "warning: proc macro `{}` printed bytes that are not UTF-8 on its stdout; they are shown as U+FFFD",
                crate_name(key)
            );
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A status-0 response frame with `stdout` and the payload `payload`.
    fn frame(stdout: &[u8]) -> Vec<u8> {
        let mut body = vec![0u8];
        wire::put_u32(&mut body, wire::len_u32(stdout.len()));
        body.extend_from_slice(stdout);
        body.extend_from_slice(b"payload");
        let mut f = Vec::new();
        wire::put_u32(&mut f, wire::len_u32(body.len()));
        f.extend(body);
        f
    }

    /// A macro that prints bytes that are not UTF-8 still expands, its
    /// output shown with U+FFFD, and the stream stays in step.
    #[test]
    fn stdout_that_is_not_utf8_is_shown() {
        let (mut ours, mut runner) = UnixStream::pair().unwrap();
        runner.write_all(&frame(b"ok \xff\xfe done\n")).unwrap();
        runner.write_all(&frame(b"next\n")).unwrap();
        let reply = exchange(&mut ours, "m-0123456789abcdef", b"req").unwrap();
        assert_eq!(reply.stdout, "ok \u{FFFD}\u{FFFD} done\n");
        assert_eq!(reply.body, b"payload");
        let reply = exchange(&mut ours, "m-0123456789abcdef", b"req").unwrap();
        assert_eq!(reply.stdout, "next\n");
    }
}
