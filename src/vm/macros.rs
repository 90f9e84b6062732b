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
