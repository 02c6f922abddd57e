fn main() {
    eprintln!("this build script always fails");
    std::process::exit(3);
}
