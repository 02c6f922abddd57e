// A build script for the tests of package buildscript: MODE chooses what
// it does. Built natively and for wasm32-wasi by the tests.
use std::env;
use std::fs;
use std::io::Write;
use std::path::Path;

fn main() {
    let mode = env::var("MODE").unwrap_or_default();
    let out = env::var("OUT_DIR").expect("OUT_DIR is set");
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR is set");
    match mode.as_str() {
        "ok" => {
            fs::write(Path::new(&out).join("generated.rs"), "pub const ANSWER: u32 = 42;\n")
                .expect("writing into OUT_DIR");
            fs::create_dir(Path::new(&out).join("sub")).expect("making a directory in OUT_DIR");
            fs::write(format!("{}/sub/nested.txt", out), "nested\n").expect("writing below OUT_DIR");
            // The working directory is the manifest directory.
            let input = fs::read_to_string("input.txt").expect("reading input.txt");
            let input2 = fs::read_to_string(Path::new(&manifest).join("input.txt"))
                .expect("reading CARGO_MANIFEST_DIR/input.txt");
            println!("cargo:rustc-cfg=old_form");
            println!("cargo::rustc-cfg=new_form");
            println!("cargo:rustc-cfg=feature=\"from_script\"");
            println!("cargo:rustc-check-cfg=cfg(old_form)");
            println!("cargo:rustc-env=INPUT={}", input.trim());
            println!("cargo:rustc-env=INPUT2={}", input2.trim());
            // As many scripts write it: "//input.txt" when the directory is "/".
            let input3 = fs::read_to_string(format!("{}/input.txt", manifest))
                .expect("reading $CARGO_MANIFEST_DIR/input.txt");
            println!("cargo:rustc-env=INPUT3={}", input3.trim());
            println!("cargo:rustc-env=GEN={}/generated.rs", out);
            println!("cargo:rustc-env=FROM_RULE={}", env::var("FROM_RULE").unwrap_or_default());
            println!("cargo:rustc-env=HOME_SEEN={}", env::var("HOME").is_ok());
            let rustc = env::var("RUSTC").unwrap_or_default();
            println!("cargo:rustc-env=RUSTC_FOUND={}", Path::new(&rustc).is_file());
            let args: Vec<String> = env::args().skip(1).collect();
            println!("cargo:rustc-env=ARGS={}", args.join(","));
            println!("cargo:rustc-link-search=native={}", out);
            println!("cargo:rustc-link-lib=static=foo");
            println!("cargo:rustc-flags=-l bar -L/opt/lib");
            println!("cargo:warning=be careful");
            println!("cargo::warning=new form warning");
            println!("cargo:rerun-if-changed=build.rs");
            println!("cargo::rerun-if-env-changed=FROM_RULE");
            println!("cargo:include=/some/where");
            println!("cargo::metadata=root=/x");
            println!("not an instruction");
            eprintln!("chatter on stderr");
        }
        "link" => {
            println!("cargo:rustc-cfg=linked");
            println!("cargo:rustc-link-lib=ssl");
        }
        "fail" => {
            fs::write(Path::new(&out).join("partial.rs"), "// half done\n").unwrap();
            println!("cargo:rustc-cfg=before_failing");
            eprintln!("something went wrong");
            std::process::exit(3);
        }
        "outside" => {
            fs::write("stray.txt", "x").expect("cannot write stray.txt outside OUT_DIR");
            println!("cargo:rustc-cfg=wrote_outside");
        }
        "modify" => {
            let mut f = fs::OpenOptions::new()
                .append(true)
                .open("input.txt")
                .expect("cannot open input.txt for appending");
            f.write_all(b"more\n").unwrap();
        }
        "unknown" => println!("cargo::frobnicate=1"),
        // Computes forever without printing: for --timeout.
        "spin" => {
            let n = std::sync::atomic::AtomicU64::new(0);
            loop {
                n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        // LOUD_BYTES bytes of chatter on stdout and stderr, then one
        // instruction: what the runner keeps must not grow with it.
        "loud" => {
            let n: usize = env::var("LOUD_BYTES").unwrap().parse().unwrap();
            let chunk = [b'x'; 65536];
            for stream in 0..2 {
                let mut left = n;
                while left > 0 {
                    let k = left.min(chunk.len());
                    if stream == 0 {
                        std::io::stdout().write_all(&chunk[..k]).unwrap();
                    } else {
                        std::io::stderr().write_all(&chunk[..k]).unwrap();
                    }
                    left -= k;
                }
            }
            println!("\ncargo:rustc-cfg=after_the_noise");
        }
        other => panic!("unknown MODE {:?}", other),
    }
}
