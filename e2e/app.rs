use shout::shout;

fn main() {
    println!("{}", greeting::greet("e2e"));
    println!("{}", greeting::BUILD_INFO);
    println!("built for {}; cfg from build script: {}", greeting::TARGET, greeting::configured_by_build_script());
    println!("{}", shout!("util versions"));
    println!("util {} and util {}", uses_v1::util_version(), uses_v2::util_version());
}
