//! Format-spec and `%` tables recorded from CPython 3.11.

use num_bigint::BigInt;

use super::*;
use crate::vm::interp::Interpreter;

fn vm() -> Vm {
    Vm::new(Interpreter::new(
        vec![],
        std::path::PathBuf::from("."),
        crate::vm::stdout::Stdout::new(Box::new(std::io::sink()), false),
    ))
}

fn big(s: &str) -> Value {
    Value::from_bigint(s.parse::<BigInt>().unwrap())
}

#[test]
fn format_spec_table() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (Value::Int(0), "", "0"),
        (Value::Int(42), "d", "42"),
        (Value::Int(42), "5d", "   42"),
        (Value::Int(42), "<5d", "42   "),
        (Value::Int(42), "^5", " 42  "),
        (Value::Int(42), "*^7", "**42***"),
        (Value::Int(-42), "05", "-0042"),
        (Value::Int(-42), "=+8", "-     42"),
        (Value::Int(42), "+", "+42"),
        (Value::Int(42), " ", " 42"),
        (Value::Int(-42), " ", "-42"),
        (Value::Int(255), "x", "ff"),
        (Value::Int(255), "X", "FF"),
        (Value::Int(255), "#x", "0xff"),
        (Value::Int(255), "#X", "0XFF"),
        (Value::Int(255), "#010x", "0x000000ff"),
        (Value::Int(8), "o", "10"),
        (Value::Int(8), "#o", "0o10"),
        (Value::Int(5), "b", "101"),
        (Value::Int(5), "#b", "0b101"),
        (Value::Int(5), "#010b", "0b00000101"),
        (Value::Int(1234567), ",", "1,234,567"),
        (Value::Int(1234567), "_", "1_234_567"),
        (Value::Int(-1234567), "015,", "-00,001,234,567"),
        (Value::Int(12345), "012_", "0_000_012_345"),
        (
            big("1267650600228229401496703205376"),
            ",",
            "1,267,650,600,228,229,401,496,703,205,376",
        ),
        (
            big("1267650600228229401496703205376"),
            "x",
            "10000000000000000000000000",
        ),
        (
            big("-1267650600228229401496703205376"),
            "#_x",
            "-0x10_0000_0000_0000_0000_0000_0000",
        ),
        (Value::Int(97), "c", "a"),
        (Value::Int(65), "^5c", "  A  "),
        (Value::Int(1234), "n", "1234"),
        (Value::Int(5), ".2f", "5.00"),
        (Value::Int(5), "e", "5.000000e+00"),
        (Value::Int(5), "%", "500.000000%"),
        (Value::Int(5), "g", "5"),
        (big("100000000000000000000"), ".3e", "1.000e+20"),
        (Value::Bool(true), ">5", "    1"),
        (Value::Bool(true), "d", "1"),
        (Value::Bool(false), "x", "0"),
        (Value::Float(1.5_f64), "", "1.5"),
        (Value::Float(1.5_f64), ".2f", "1.50"),
        (Value::Float(2.675_f64), ".2f", "2.67"),
        (Value::Float(0.125_f64), ".2f", "0.12"),
        (Value::Float(0.375_f64), ".2f", "0.38"),
        (Value::Float(1e16_f64), "", "1e+16"),
        (Value::Float(1e16_f64), ".2f", "10000000000000000.00"),
        (Value::Float(3.14159_f64), "8.3f", "   3.142"),
        (Value::Float(3.14159_f64), "<8.3f", "3.142   "),
        (Value::Float(3.14159_f64), "^9.2f", "  3.14   "),
        (Value::Float(-3.14159_f64), "+.1f", "-3.1"),
        (Value::Float(3.14159_f64), "+.1f", "+3.1"),
        (Value::Float(3.14159_f64), " .1f", " 3.1"),
        (Value::Float(-0.0_f64), ".1f", "-0.0"),
        (Value::Float(-0.0_f64), "z.1f", "0.0"),
        (Value::Float(1234567.891_f64), ",.2f", "1,234,567.89"),
        (Value::Float(1234567.891_f64), "_.1f", "1_234_567.9"),
        (Value::Float(1234.5_f64), "012,.2f", "0,001,234.50"),
        (Value::Float(1.2345e-05_f64), "e", "1.234500e-05"),
        (Value::Float(1.2345e-05_f64), ".2E", "1.23E-05"),
        (Value::Float(12345.678_f64), ".3e", "1.235e+04"),
        (Value::Float(1e100_f64), "g", "1e+100"),
        (Value::Float(0.0001_f64), "g", "0.0001"),
        (Value::Float(1e-05_f64), "g", "1e-05"),
        (Value::Int(123456), "g", "123456"),
        (Value::Int(1234567), "g", "1.23457e+06"),
        (Value::Int(1234567), ".10g", "1234567"),
        (Value::Float(100.0_f64), ".3", "1e+02"),
        (Value::Float(12.0_f64), ".3", "12.0"),
        (Value::Float(1.0_f64), ".0", "1e+00"),
        (Value::Float(0.5_f64), ".0f", "0"),
        (Value::Float(1.5_f64), ".0f", "2"),
        (Value::Float(2.5_f64), ".0f", "2"),
        (Value::Float(0.5_f64), "%", "50.000000%"),
        (Value::Float(0.1234_f64), ".1%", "12.3%"),
        (Value::Float(f64::INFINITY), "", "inf"),
        (Value::Float(f64::INFINITY), "f", "inf"),
        (Value::Float(f64::INFINITY), "F", "INF"),
        (Value::Float(f64::NEG_INFINITY), "010", "-000000inf"),
        (Value::Float(f64::NAN), "+", "+nan"),
        (Value::Float(f64::NAN), "E", "NAN"),
        (Value::Float(1.0_f64), "#.0f", "1."),
        (Value::Float(1.0_f64), "#g", "1.00000"),
        (Value::Float(1.0_f64), "g", "1"),
        (Value::Float(1e-07_f64), "", "1e-07"),
        (Value::Float(123.456_f64), ".2", "1.2e+02"),
        (Value::Float(0.1_f64), ".20f", "0.10000000000000000555"),
        (Value::Float(1.5_f64), "10", "       1.5"),
        (Value::Float(1.5_f64), "<10", "1.5       "),
        (Value::Float(1.5_f64), "010", "00000001.5"),
        (Value::Float(-1.5_f64), "010", "-0000001.5"),
        (Value::Float(1.23e-05_f64), "n", "1.23e-05"),
        (Value::Float(5e-324_f64), "e", "4.940656e-324"),
        (Value::Float(1.7976931348623157e308_f64), ".3g", "1.8e+308"),
        (Value::Float(9.999_f64), ".3g", "10"),
        (Value::Float(9.9999_f64), ".3", "10.0"),
        (Value::Float(0.1_f64), "15.10e", "1.0000000000e-01"),
        (Value::Float(f64::NAN), " ^5", " nan "),
        (Value::Float(f64::INFINITY), ".0%", "inf%"),
        (Value::Float(f64::NAN), "010", "0000000nan"),
        (Value::str("abc"), "", "abc"),
        (Value::str("abc"), "5", "abc  "),
        (Value::str("abc"), ">5", "  abc"),
        (Value::str("abc"), "^6", " abc  "),
        (Value::str("abc"), "*^7", "**abc**"),
        (Value::str("abcdef"), ".3", "abc"),
        (Value::str("abcdef"), ">8.2", "      ab"),
        (Value::str("abc"), "05", "abc00"),
        (Value::str("h\u{e9}llo"), ">7", "  h\u{e9}llo"),
        (Value::str("abc"), "s", "abc"),
        (Value::str("abc"), "-<5", "abc--"),
    ];
    let mut vm = vm();
    let mut failures = Vec::new();
    for (v, spec, want) in cases {
        match format_with_spec(&mut vm, &v, spec) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!(
                "format({}, {spec:?}) = {got:?}, want {want:?}",
                vm.repr(&v).unwrap()
            )),
            Err(_) => failures.push(format!(
                "format({}, {spec:?}) raised, want {want:?}",
                vm.repr(&v).unwrap()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn percent_table() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("%s", Value::str("x"), "x"),
        ("%05s", Value::str("ab"), "   ab"),
        ("%-05d", Value::Int(3), "3    "),
        ("%05d", Value::Int(-3), "-0003"),
        ("%+5d", Value::Int(3), "   +3"),
        ("% d", Value::Int(3), " 3"),
        ("%#x", Value::Int(255), "0xff"),
        ("%#08x", Value::Int(255), "0x0000ff"),
        ("%#-8x|", Value::Int(255), "0xff    |"),
        ("%.3d", Value::Int(5), "005"),
        ("%#o", Value::Int(8), "0o10"),
        ("%d", Value::Float(3.7_f64), "3"),
        ("%u", Value::Int(3), "3"),
        ("%c", Value::Int(65), "A"),
        ("%c", Value::str("z"), "z"),
        ("%e", Value::Float(12345.678_f64), "1.234568e+04"),
        ("%g", Value::Float(1e-05_f64), "1e-05"),
        ("%G", Value::Float(1e20_f64), "1E+20"),
        ("%#g", Value::Float(1.0_f64), "1.00000"),
        ("%.0e", Value::Float(5.5_f64), "6e+00"),
        ("%f", Value::Float(f64::INFINITY), "inf"),
        ("%05f", Value::Float(f64::NEG_INFINITY), "-0inf"),
        ("%r", Value::str("a"), "'a'"),
        ("%a", Value::str("\u{e9}"), "'\\xe9'"),
        ("%.2s", Value::str("hello"), "he"),
        ("%5.1f", Value::Float(3.14159_f64), "  3.1"),
        ("%x", Value::Int(-255), "-ff"),
        ("%#X", Value::Int(255), "0XFF"),
        ("%.0f", Value::Float(0.5_f64), "0"),
        ("%.0f", Value::Float(1.5_f64), "2"),
        ("%d", Value::Bool(true), "1"),
        ("%s", Value::Bool(true), "True"),
        (
            "%d",
            big("1000000000000000000000000000000"),
            "1000000000000000000000000000000",
        ),
        ("%.2f", Value::Float(2.675_f64), "2.67"),
        ("%10.3e", Value::Float(-1234.5_f64), "-1.234e+03"),
        ("%-6s|", Value::str("ab"), "ab    |"),
        ("%6.2f%%", Value::Float(12.345_f64), " 12.35%"),
        ("%i", Value::Int(-7), "-7"),
        ("%+.2e", Value::Float(0.0_f64), "+0.00e+00"),
        ("%08.3f", Value::Float(-3.14159_f64), "-003.142"),
    ];
    let mut vm = vm();
    let mut failures = Vec::new();
    for (fmt, v, want) in cases {
        match percent_format(&mut vm, fmt, &v) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!("{fmt:?} % {} = {got:?}, want {want:?}", vm.repr(&v).unwrap())),
            Err(_) => failures.push(format!("{fmt:?} % {} raised, want {want:?}", vm.repr(&v).unwrap())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn error_messages() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            Value::Int(5),
            "z",
            "Negative zero coercion (z) not allowed in integer format specifier",
        ),
        (Value::str("a"), "+", "Sign not allowed in string format specifier"),
        (
            Value::str("a"),
            "#",
            "Alternate form (#) not allowed in string format specifier",
        ),
        (
            Value::str("a"),
            "=",
            "'=' alignment not allowed in string format specifier",
        ),
        (Value::str("a"), ",", "Cannot specify ',' with 's'."),
        (Value::Int(5), ".2", "Precision not allowed in integer format specifier"),
        (
            Value::Int(5),
            "#c",
            "Alternate form (#) not allowed with integer format specifier 'c'",
        ),
        (Value::Int(-1), "c", "%c arg not in range(0x110000)"),
        (Value::Int(5), ",,", "Cannot specify ',' with ','."),
        (Value::Int(5), "_,", "Cannot specify both ',' and '_'."),
        (Value::Int(5), ".", "Format specifier missing precision"),
        (Value::Int(5), "q", "Unknown format code 'q' for object of type 'int'"),
        (
            Value::Int(5),
            "abc",
            "Invalid format specifier 'abc' for object of type 'int'",
        ),
        (
            Value::Float(1.5),
            "d",
            "Unknown format code 'd' for object of type 'float'",
        ),
        (
            Value::None,
            "x",
            "unsupported format string passed to NoneType.__format__",
        ),
        (
            Value::Int(5),
            "99999999999999999999",
            "Too many decimal digits in format string",
        ),
        (
            Value::Int(5),
            "\x01",
            "Unknown format code '\\x1' for object of type 'int'",
        ),
    ];
    let mut vm = vm();
    for (v, spec, want) in cases {
        let err = format_with_spec(&mut vm, &v, spec).err().expect("should fail");
        let got = vm.str(&err.args()[0]).unwrap();
        assert_eq!(got, want, "format(_, {spec:?})");
    }
    let pct: Vec<(&str, Value, &str)> = vec![
        (
            "%s %s",
            Value::tuple(vec![Value::Int(1)]),
            "not enough arguments for format string",
        ),
        (
            "%s",
            Value::tuple(vec![Value::Int(1), Value::Int(2)]),
            "not all arguments converted during string formatting",
        ),
        (
            "x",
            Value::Int(5),
            "not all arguments converted during string formatting",
        ),
        ("%d", Value::str("s"), "%d format: a real number is required, not str"),
        ("%x", Value::Float(3.5), "%x format: an integer is required, not float"),
        (
            "%q",
            Value::Int(1),
            "unsupported format character 'q' (0x71) at index 1",
        ),
        ("abc%", Value::Int(1), "incomplete format"),
        ("%(a)s", Value::Int(5), "format requires a mapping"),
        ("%c", Value::str("ab"), "%c requires int or char"),
        ("%f", Value::str("x"), "must be real number, not str"),
        ("%*d", Value::tuple(vec![Value::str("a"), Value::Int(3)]), "* wants int"),
    ];
    for (fmt, v, want) in pct {
        let err = percent_format(&mut vm, fmt, &v).err().expect("should fail");
        let got = vm.str(&err.args()[0]).unwrap();
        assert_eq!(got, want, "{fmt:?} % ...");
    }
    assert_eq!(
        percent_format(&mut vm, "x", &Value::list(vec![Value::Int(1)])).unwrap(),
        "x"
    );
}
