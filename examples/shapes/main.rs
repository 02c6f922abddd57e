use shapes::{RightTriangle, PERIMETER_3_4_5};

fn main() {
    let t = RightTriangle { a: 3, b: 4 };
    println!("a {} with legs {} and {}", t.describe(), t.a, t.b);
    println!("twice its area: {}", t.area_doubled());
    println!("hypotenuse 5: {}", t.has_hypotenuse(5));
    println!("perimeter (sum! at compile time): {}", PERIMETER_3_4_5);
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.is_empty() {
        println!("arguments: {}", args.join(" "));
    }
}
