//! The release commands: each a step of the release state machine.

/// The blue/green commands: each edits `services.<svc>.deploy.<env>`, or the state of a
/// cluster under it (`clusters.<cluster>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseAction {
    /// Deploy a version on the idle colour; live traffic is unchanged.
    Release { version: String, skip_order: bool },
    /// Send live traffic to the idle colour.
    Promote,
    /// Send live traffic back to the colour that was live before the last promote.
    Rollback,
    /// Remove the idle colour.
    Retire,
}
