//! Snapshots of `gilsim dis` output: the instructions learners read to see why
//! `counter += 1` is several steps.

use gilsim::compile::dis::disassemble;
use gilsim::driver::compile_source;
use gilsim::syntax::source::SourceFile;

fn dis(src: &str) -> String {
    let file = SourceFile::new("example.py", src);
    let compiled = compile_source(&file, false).expect("compiles");
    disassemble(&compiled.code, &compiled.global_names)
}

#[test]
fn counter_increment_is_several_instructions() {
    insta::assert_snapshot!(dis(
        "counter = 0\n\ndef increment():\n    global counter\n    counter += 1\n"
    ));
}

#[test]
fn call_inside_read_modify_write() {
    insta::assert_snapshot!(dis(
        "counter = 0\n\ndef f(x):\n    return x\n\ndef increment():\n    global counter\n    counter = counter + f(1)\n"
    ));
}

#[test]
fn loops_closures_and_comprehensions() {
    insta::assert_snapshot!(dis(
        "def make(n):\n    total = 0\n    def add(k):\n        nonlocal total\n        total += k\n        return total\n    for i in range(n):\n        add(i)\n    return [x * 2 for x in range(n) if x % 2]\n"
    ));
}

#[test]
fn try_with_and_generators() {
    insta::assert_snapshot!(dis(
        "def gen(path):\n    try:\n        with open(path) as f:\n            yield f.read()\n    except OSError as e:\n        print(e)\n    finally:\n        print('done')\n"
    ));
}

#[test]
fn classes_and_method_calls() {
    insta::assert_snapshot!(dis(
        "class Point:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n\n    def norm2(self):\n        return self.x ** 2 + self.y ** 2\n\np = Point(3, 4)\nprint(p.norm2(), f'{p.x:>4}')\n"
    ));
}

#[test]
fn every_jump_targets_an_instruction() {
    // Invariant over a program with every kind of control flow.
    let src = "for i in range(3):\n    if i: continue\n    while i < 2:\n        i += 1\n        if i == 5: break\n    else:\n        pass\ntry:\n    x = 1\nexcept ValueError:\n    pass\nelse:\n    y = [a for a in range(2) if a]\nfinally:\n    z = (lambda q: q)(1)\n";
    let file = SourceFile::new("example.py", src);
    let compiled = compile_source(&file, false).expect("compiles");
    let mut stack = vec![compiled.code.clone()];
    while let Some(code) = stack.pop() {
        assert_eq!(code.ops.len(), code.spans.len(), "one span per instruction");
        for op in &code.ops {
            if let Some(t) = op.jump_target() {
                assert!(
                    (t as usize) <= code.ops.len(),
                    "{op:?} in {} jumps past the end",
                    code.qualname
                );
            }
        }
        stack.extend(code.functions.iter().cloned());
    }
}
