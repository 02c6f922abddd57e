//! The e2e test's native helper (see `e2e.sh`).
//!
//! `helper serve SOCKET RUN_GUEST DUMP_DIR KEY=MODULE.wasm...` plays the
//! runner's side of the macro socket: for each request frame it runs
//! `RUN_GUEST MODULE.wasm` (a command that runs a WASI module, such as
//! `runner run`) with the guest request on stdin, takes the frame off the
//! end of its stdout and answers the bridge. Each guest request is
//! also saved as `DUMP_DIR/<key>.<n>.req`.
//!
//! `helper decode FILE` reads a guest's stdout and prints what the frame
//! says (exit status 1 if there is no valid frame).

#[allow(dead_code)]
#[path = "../wire.rs"]
mod wire;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wire::{Reader, Response, Tree};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") if args.len() >= 4 => serve(&args[1], &args[2], &args[3], &args[4..]),
        Some("decode") if args.len() == 2 => decode(&args[1]),
        _ => {
            eprintln!("usage: helper serve SOCKET RUN_GUEST DUMP_DIR KEY=MODULE...\n       helper decode GUEST_STDOUT");
            std::process::exit(2);
        }
    }
}

struct Server {
    run_guest: String,
    dump_dir: String,
    modules: HashMap<String, String>,
    count: AtomicUsize,
}

fn serve(socket: &str, run_guest: &str, dump_dir: &str, modules: &[String]) {
    let modules = modules
        .iter()
        .map(|m| {
            let (key, path) = m.split_once('=').expect("KEY=MODULE");
            (key.to_string(), path.to_string())
        })
        .collect();
    let server = Arc::new(Server {
        run_guest: run_guest.to_string(),
        dump_dir: dump_dir.to_string(),
        modules,
        count: AtomicUsize::new(0),
    });
    let _ = std::fs::remove_file(socket);
    let listener = UnixListener::bind(socket).expect("bind the socket");
    for conn in listener.incoming() {
        let conn = conn.expect("accept");
        let server = Arc::clone(&server);
        std::thread::spawn(move || server.connection(conn));
    }
}

impl Server {
    /// Answers requests until the bridge closes the connection.
    fn connection(&self, mut conn: UnixStream) {
        loop {
            let mut len = [0u8; 4];
            if conn.read_exact(&mut len).is_err() {
                return;
            }
            let mut frame = vec![0u8; u32::from_le_bytes(len) as usize];
            conn.read_exact(&mut frame).expect("read a request frame");
            let mut r = Reader::new(&frame);
            let key = r.str().expect("the key");
            let request = r.bytes(r.remaining()).unwrap();
            let (status, stdout, body) = self.expand(&key, request);
            let mut reply = vec![status];
            wire::put_str(&mut reply, &stdout);
            reply.extend_from_slice(&body);
            let mut out = Vec::new();
            wire::put_u32(&mut out, wire::len_u32(reply.len()));
            out.extend_from_slice(&reply);
            conn.write_all(&out).expect("write a response frame");
        }
    }

    /// Runs the module: (status, what it printed, payload or message).
    fn expand(&self, key: &str, request: &[u8]) -> (u8, String, Vec<u8>) {
        let failed = |message: String| {
            let mut body = Vec::new();
            wire::put_str(&mut body, &message);
            (2, String::new(), body)
        };
        let module = match self.modules.get(key) {
            Some(m) => m,
            None => return failed(format!("no module for key {}", key)),
        };
        let n = self.count.fetch_add(1, Ordering::SeqCst);
        std::fs::write(format!("{}/{}.{}.req", self.dump_dir, key, n), request).expect("dump the request");
        let mut child = Command::new(&self.run_guest)
            .arg(module)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the guest");
        child.stdin.take().unwrap().write_all(request).expect("write the guest's stdin");
        let output = child.wait_with_output().expect("run the guest");
        let (printed, payload) = match wire::split_frame(&output.stdout) {
            Ok(parts) => parts,
            Err(e) => return failed(format!("{} ({}): {}", e, output.status, String::from_utf8_lossy(&output.stderr))),
        };
        let printed = String::from_utf8_lossy(printed).into_owned();
        match payload.first() {
            Some(0) => (0, printed, payload.to_vec()),
            Some(1) => (1, printed, payload[1..].to_vec()),
            _ => failed("bad payload status".to_string()),
        }
    }
}

fn decode(path: &str) {
    let stdout = std::fs::read(path).expect("read the guest's stdout");
    let result = wire::split_frame(&stdout).and_then(|(printed, payload)| Ok((printed, Response::decode(payload)?)));
    match result {
        Ok((printed, Response::Ok { new_spans, stream })) => {
            println!("printed: {:?}", String::from_utf8_lossy(printed));
            let (trees, inputs) = count(&stream);
            println!("status: ok, {} new spans, {} trees, {} input groups", new_spans.len(), trees, inputs);
        }
        Ok((printed, Response::Panic(message))) => {
            println!("printed: {:?}", String::from_utf8_lossy(printed));
            println!("status: panic: {}", message);
        }
        Err(e) => {
            println!("error: {}", e);
            std::process::exit(1);
        }
    }
}

/// The number of trees (groups' contents included) and of input groups.
fn count(stream: &[Tree<wire::OutputGroup>]) -> (usize, usize) {
    stream.iter().fold((0, 0), |(trees, inputs), t| match t {
        Tree::Group(wire::OutputGroup::New { stream, .. }) => {
            let (t, i) = count(stream);
            (trees + 1 + t, inputs + i)
        }
        Tree::Group(wire::OutputGroup::Input(_)) => (trees + 1, inputs + 1),
        _ => (trees + 1, inputs),
    })
}
