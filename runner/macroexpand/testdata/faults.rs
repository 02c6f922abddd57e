//! Wasm proc macros for the expander's tests: one that works, and one for
//! each way a macro can fail or misbehave.
use proc_macro::TokenStream;

#[proc_macro]
pub fn echo(input: TokenStream) -> TokenStream {
    input
}

#[proc_macro]
pub fn prints(input: TokenStream) -> TokenStream {
    println!("printed by the macro");
    eprintln!("to stderr");
    input
}

#[proc_macro]
pub fn panics(_input: TokenStream) -> TokenStream {
    panic!("panicked on purpose")
}

#[proc_macro]
pub fn spins(_input: TokenStream) -> TokenStream {
    let mut n: u64 = 0;
    loop {
        n = unsafe { std::ptr::read_volatile(&n) }.wrapping_add(1);
    }
}

#[proc_macro]
pub fn grows(_input: TokenStream) -> TokenStream {
    let mut held = Vec::new();
    loop {
        held.push(vec![1u8; 16 << 20]);
    }
}

#[proc_macro]
pub fn reads_host_file(_input: TokenStream) -> TokenStream {
    match std::fs::read_to_string("/etc/passwd") {
        Ok(_) => panic!("read /etc/passwd"),
        Err(e) => panic!("{:?}", e.kind()),
    }
}

#[proc_macro]
pub fn reads_input(_input: TokenStream) -> TokenStream {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    match std::fs::read_to_string(format!("{}/input.txt", dir)) {
        Ok(text) => panic!("read: {}", text.trim()),
        Err(e) => panic!("{:?}", e.kind()),
    }
}

#[proc_macro]
pub fn environment(_input: TokenStream) -> TokenStream {
    let mut vars: Vec<String> = std::env::vars().map(|(k, _)| k).collect();
    vars.sort();
    panic!("{}", vars.join(","))
}

/// Panics with what it can observe of the world beyond its input: the
/// time, its input file's times, its directory, a HashMap's order.
#[proc_macro]
pub fn observes(_input: TokenStream) -> TokenStream {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let meta = std::fs::metadata(format!("{}/input.txt", dir)).map(|m| {
        (m.len(), m.modified().ok(), m.accessed().ok(), m.created().ok())
    });
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    let order: Vec<u32> = (0..16u32).map(|i| (i, i)).collect::<std::collections::HashMap<_, _>>().into_keys().collect();
    panic!("{:?} {:?} {:?} {:?}", now, meta, names, order)
}

/// Prints without end: the bound on what an expansion prints stops it.
#[proc_macro]
pub fn floods(_input: TokenStream) -> TokenStream {
    let line = "x".repeat(1 << 20);
    loop {
        println!("{}", line);
    }
}
