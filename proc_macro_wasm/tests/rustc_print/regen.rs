//! `regen CASES DUMP_SO OUT_DIR`: fills in the expected sections of the unit
//! tests' case file (`proc_macro/tests/print_cases.txt`) from rustc itself.
//!
//! The file is a list of cases:
//! ```text
//! #### case NAME
//! SOURCE
//! #### rustc
//! what rustc 1.63's `to_string` prints for SOURCE's trees
//! #### trees
//! SOURCE's trees as rustc splits them (see dump.rs)
//! ```
//! Only the `case` sections are read; the others are rewritten.
use std::process::Command;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [cases, dump, out] = match &args[..] {
        [a, b, c] => [a, b, c],
        _ => {
            eprintln!("usage: regen CASES DUMP_SO OUT_DIR");
            std::process::exit(2);
        }
    };
    let text = std::fs::read_to_string(cases).expect("read the cases");
    let mut result = String::new();
    for (i, (name, source)) in parse(&text).into_iter().enumerate() {
        let prefix = format!("{}/{}", out, i);
        let wrap = format!("{}.wrap.rs", prefix);
        std::fs::write(&wrap, format!("dump::dump!({:?}\n{}\n);\n", prefix, source)).unwrap();
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "/usr/bin/rustc".to_string());
        let status = Command::new(rustc)
            .args(["--edition", "2021", "--crate-type", "lib", "--crate-name", &format!("case{}", i)])
            .args(["--extern", &format!("dump={}", dump), &wrap, "-o", &format!("{}.rlib", prefix)])
            .status()
            .expect("run rustc");
        assert!(status.success(), "rustc failed on case {}", name);
        let printed = std::fs::read_to_string(format!("{}.rustc", prefix)).unwrap();
        let trees = std::fs::read_to_string(format!("{}.trees", prefix)).unwrap();
        result.push_str(&format!("#### case {}\n{}\n#### rustc\n{}\n#### trees\n{}", name, source, printed, trees));
    }
    std::fs::write(cases, result).expect("write the cases");
}

/// The (name, source) of each case.
fn parse(text: &str) -> Vec<(String, String)> {
    let mut cases = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("#### ") {
            if let Some((name, lines)) = current.take() {
                cases.push((name, lines.join("\n")));
            }
            if let Some(name) = header.strip_prefix("case ") {
                current = Some((name.to_string(), Vec::new()));
            }
        } else if let Some((_, lines)) = &mut current {
            lines.push(line);
        }
    }
    if let Some((name, lines)) = current {
        cases.push((name, lines.join("\n")));
    }
    cases
}
