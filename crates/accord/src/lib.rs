pub fn x() {}

mod process;
pub use process::{
    analyze_process, analyze_process_with, civil_from_days, days_from_civil, Bound, ConstraintEdge,
    ConstraintKind, ConstraintRef, CriticalPath, Deadline, Deadlock, Milestone, MilestoneWindow,
    Precondition, ProcessLimits, ProcessNetwork, ProcessNetworkError, ProcessReport, Timing,
    Waiver, MAX_ABS_DAYS, START_ID,
};
