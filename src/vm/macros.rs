//! Stack and frame access shorthands for the dispatch loop and its helpers.

macro_rules! frame {
    ($vm:expr) => {
        $vm.frames.last_mut().expect("dispatch loop without a frame")
    };
}

macro_rules! pop {
    ($vm:expr) => {
        $vm.stack.pop().expect("operand stack underflow")
    };
}

macro_rules! top {
    ($vm:expr) => {
        $vm.stack.last().expect("operand stack underflow")
    };
}

/// `LoadFast`: pushes local `i` of frame `f`, or raises UnboundLocalError.
macro_rules! push_local {
    ($vm:expr, $f:expr, $i:expr) => {{
        let v = $vm.stack[$f.base + $i as usize].clone();
        if let Value::Null = v {
            return Err(unbound_local(&$f.code().varnames[$i as usize]));
        }
        $vm.stack.push(v);
    }};
}
