// Tests that print a lot, or print control characters, for the bounds and
// the escaping of what the runner keeps and shows of a test's output
// (testharness's harness_test.go, the runner's test_cmd_test.go).
use std::io::Write;

fn noise(n: usize, byte: u8) {
    let chunk = [byte; 65536];
    let mut out = std::io::stdout();
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len());
        out.write_all(&chunk[..k]).unwrap();
        left -= k;
    }
}

fn loud_bytes() -> usize {
    std::env::var("LOUD_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(8 << 20)
}

#[test]
fn loud() {
    println!("loud starts");
    noise(loud_bytes(), b'y');
    println!("\nloud is done");
}

#[test]
fn loud_failure() {
    noise(loud_bytes(), b'z');
    panic!("failed after the noise");
}

#[test]
fn escapes() {
    print!("\x1b[2J\x1b]0;owned\x07");
    std::io::stdout().flush().unwrap();
    panic!("\x1b[31mred\x1b[0m");
}
