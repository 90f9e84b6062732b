//! `--gil off`: free-threading (PEP 703). There is no global lock; every object stays
//! consistent through its own lock (the `parking_lot` locks inside lists, dicts, …).

use std::sync::Arc;

use super::{Gil, GilStats, Policy, Release};
use crate::threads::ThreadState;

#[derive(Default)]
pub struct NoGil {
    stats: GilStats,
}

impl Gil for NoGil {
    fn policy(&self) -> Policy {
        Policy::Off
    }

    fn take(&self, _t: &Arc<ThreadState>) {}

    fn release(&self, _t: &ThreadState, _reason: Release) {}

    fn stats(&self) -> &GilStats {
        &self.stats
    }
}
