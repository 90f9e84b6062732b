//! Precedence and associativity of the expression grammar, checked on S-expressions.

mod syntax_common;
use syntax_common::sexpr;

#[test]
fn power_binds_tighter_than_unary_on_its_left() {
    assert_eq!(sexpr("-2**2"), "(Neg (Pow 2 2))");
    assert_eq!(sexpr("2**-1"), "(Pow 2 (Neg 1))");
    assert_eq!(sexpr("2**3**2"), "(Pow 2 (Pow 3 2))");
}

#[test]
fn boolean_and_comparison_levels() {
    assert_eq!(sexpr("not a == b"), "(Not (Compare a Eq b))");
    assert_eq!(sexpr("a < b < c"), "(Compare a Lt b Lt c)");
    assert_eq!(sexpr("a not in b is not c"), "(Compare a NotIn b IsNot c)");
    assert_eq!(sexpr("a or b and not c"), "(Or a (And b (Not c)))");
    assert_eq!(
        sexpr("a | b ^ c & d << 1 + 2 * 3"),
        "(BitOr a (BitXor b (BitAnd c (LShift d (Add 1 (Mul 2 3))))))"
    );
    assert_eq!(sexpr("a - b - c"), "(Sub (Sub a b) c)");
}

#[test]
fn conditional_and_lambda() {
    assert_eq!(sexpr("a if b else c if d else e"), "(IfExp b a (IfExp d c e))");
    assert_eq!(sexpr("lambda: x if y else z"), "(Lambda [ /  *  **] (IfExp y x z))");
    assert_eq!(sexpr("lambda a, b=1, *c, d, **e: a"), "(Lambda [ / a,b=1 *c d **e] a)");
}

#[test]
fn subscripts_and_calls() {
    assert_eq!(sexpr("x[1:2:3]"), "([] x (Slice 1 2 3))");
    assert_eq!(sexpr("x[::2]"), "([] x (Slice _ _ 2))");
    assert_eq!(sexpr("a[1:2, 3]"), "([] a (Tuple (Slice 1 2 _) 3))");
    assert_eq!(sexpr("f(*a, **k, b=1)"), "(Call f *a **k b=1)");
    assert_eq!(sexpr("f(x for x in y)"), "(Call f (GenExp x for x in y))");
    assert_eq!(sexpr("a.b(c)[d].e"), "(. ([] (Call (. a b) c) d) e)");
    assert_eq!(sexpr("await x ** 2"), "(Pow (Await x) 2)");
}

#[test]
fn displays_and_comprehensions() {
    assert_eq!(sexpr("()"), "(Tuple )");
    assert_eq!(sexpr("(x,)"), "(Tuple x)");
    assert_eq!(sexpr("(x)"), "x");
    assert_eq!(sexpr("[*a, 1,]"), "(List (* a) 1)");
    assert_eq!(sexpr("{**d, 1: 2}"), "(Dict **d 1:2)");
    assert_eq!(sexpr("{1, *s}"), "(Set 1 (* s))");
    assert_eq!(
        sexpr("[x for x in y if x if z for w in x]"),
        "(ListComp x for x in y if x if z for w in x)"
    );
    assert_eq!(sexpr("{k: v for k, v in d}"), "(DictComp k v for (Tuple k v) in d)");
    assert_eq!(
        sexpr("[y for x in d if (y := f(x))]"),
        "(ListComp y for x in d if (:= y (Call f x)))"
    );
}

#[test]
fn numbers() {
    assert_eq!(sexpr("1_000"), "1000");
    assert_eq!(sexpr("0x_ff"), "255");
    assert_eq!(sexpr("0o17"), "15");
    assert_eq!(sexpr("0b101"), "5");
    assert_eq!(sexpr("1e-3"), "Float(0.001)");
    assert_eq!(sexpr("1_000.5"), "Float(1000.5)");
    assert_eq!(sexpr(".5"), "Float(0.5)");
    assert_eq!(sexpr("5."), "Float(5.0)");
    assert_eq!(sexpr("99999999999999999999"), "BigInt(99999999999999999999)");
}

#[test]
fn strings_concatenate() {
    assert_eq!(sexpr("'a' \"b\" '''c'''"), "Str(\"abc\")");
    assert_eq!(sexpr(r"'\x41\u00e9\U0001F600\101\n\\'"), "Str(\"Aé😀A\\n\\\\\")");
    assert_eq!(sexpr(r"r'\n'"), "Str(\"\\\\n\")");
    assert_eq!(sexpr("b'a' rb'\\n'"), "Bytes([97, 92, 110])");
    assert_eq!(sexpr("'a\\\nb'"), "Str(\"ab\")");
}
