//! The connection to the runner: one Unix stream socket per loaded shim,
//! opened on first use, with strictly sequential request/response frames.
//!
//! Request frame: `u32` length of the rest, `str` key, the guest request.
//! Response frame: `u32` length of the rest, `u8` status (0 ok, 1 the macro
//! panicked, 2 the expansion failed), `str` stdout, then the guest's payload
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
    let stdout = r.str()?;
    if status > 2 {
        return Err(format!("unknown status {}", status));
    }
    let rest = r.bytes(r.remaining())?.to_vec();
    Ok(Reply { status, stdout, body: rest })
}
