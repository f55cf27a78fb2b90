//! The commands that edit the spec: the release commands, and the governance edits of the
//! base image catalog, exceptions, CI template waves and Terraform module pins.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::run::{Outcome, Run, parse_date, parse_digest_arg, parse_soak};
use crate::edit::{Approval, ExceptionRequest, ReleaseAction, ReleaseTarget};
use crate::spec::Date;

/// How a spec edit reports the tree change it implies.
#[derive(Debug, Clone, Copy, Args)]
pub(super) struct EditOutput {
    /// Also print the full diff of the tree files that change.
    #[arg(long)]
    pub diff: bool,
}

/// Which clusters of the environment a release command moves.
#[derive(Debug, Clone, Args)]
pub(super) struct ClusterTarget {
    /// One cluster of ENV (an environment that lists clusters), e.g. `--cluster eu-canary`.
    #[arg(long, conflicts_with = "wave")]
    pub cluster: Option<String>,
    /// Every cluster of ENV in this rollout wave, e.g. `--wave 0` for the canary clusters.
    #[arg(long)]
    pub wave: Option<u32>,
}

impl AdvanceTarget {
    fn target(&self) -> ReleaseTarget {
        target_of(self.cluster.as_deref(), self.wave)
    }
}

impl ClusterTarget {
    fn target(&self) -> ReleaseTarget {
        target_of(self.cluster.as_deref(), self.wave)
    }
}

/// Which clusters of the next environment `advance` moves versions into.
#[derive(Debug, Clone, Args)]
pub(super) struct AdvanceTarget {
    /// One cluster of the next environment (one that lists clusters), e.g. `--cluster eu`.
    #[arg(long, conflicts_with = "wave")]
    pub cluster: Option<String>,
    /// Every cluster of the next environment in this rollout wave, e.g. `--wave 0` for the
    /// canary clusters; a wave takes a version once every cluster of the earlier waves
    /// serves it.
    #[arg(long)]
    pub wave: Option<u32>,
}

fn target_of(cluster: Option<&str>, wave: Option<u32>) -> ReleaseTarget {
    match (cluster, wave) {
        (Some(cluster), _) => ReleaseTarget::Cluster(cluster.to_owned()),
        (None, Some(wave)) => ReleaseTarget::Wave(wave),
        (None, None) => ReleaseTarget::Environment,
    }
}

#[derive(Debug, Subcommand)]
pub(super) enum EditCommand {
    /// Start a blue/green release: deploy VERSION on the idle colour; live traffic is unchanged.
    Release {
        service: String,
        version: String,
        #[arg(long)]
        env: String,
        #[command(flatten)]
        clusters: ClusterTarget,
        /// Release even though VERSION is not live in the previous environment (or the
        /// earlier waves) yet.
        #[arg(long)]
        skip_order: bool,
        /// Edit the spec even though ENV's sync windows keep it closed (an open deny window,
        /// or no allow window open).
        #[arg(long)]
        ignore_window: bool,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Switch live traffic to the idle colour.
    Promote {
        service: String,
        #[arg(long)]
        env: String,
        #[command(flatten)]
        clusters: ClusterTarget,
        /// Edit the spec even though ENV's sync windows keep it closed (an open deny window,
        /// or no allow window open).
        #[arg(long)]
        ignore_window: bool,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Release into the next environment the exact versions live in FROM: every service, or
    /// those named; one spec edit, one plan. With --wave or --cluster, into those clusters
    /// of the next environment only.
    Advance {
        /// The environment whose live versions move on to the one declared after it.
        #[arg(long)]
        from: String,
        /// The services to move (default: every service that can).
        services: Vec<String>,
        #[command(flatten)]
        clusters: AdvanceTarget,
        /// Each version must have been live at least this long, counted from the commit that
        /// made it live (`24h`, `2d`, `90m`): in FROM, or, with --wave N past the next
        /// environment's first wave (or --cluster C of such a wave), in every cluster of its
        /// earlier waves. A version counts as live only where every cluster serves it.
        #[arg(long, value_name = "DURATION", value_parser = parse_soak)]
        soak: Option<jiff::SignedDuration>,
        /// The digest of a version no environment pins yet, where the next environment
        /// requires digests.
        #[arg(long = "digest", value_name = "SERVICE=sha256:…", value_parser = parse_digest_arg)]
        digests: Vec<(String, String)>,
        /// Edit the spec even though the sync windows of the next environment keep it closed.
        #[arg(long)]
        ignore_window: bool,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Switch live traffic back to the colour that was live before the last promote.
    Rollback {
        service: String,
        #[arg(long)]
        env: String,
        #[command(flatten)]
        clusters: ClusterTarget,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Remove the idle colour once a release is settled (or abandoned).
    Retire {
        service: String,
        #[arg(long)]
        env: String,
        #[command(flatten)]
        clusters: ClusterTarget,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Move every service on an older version of a base image to VERSION (an approved one):
    /// its next build; the versions running keep their old base until replaced.
    UpgradeBase {
        name: String,
        version: String,
        /// Also rewrite the `FROM` lines (or the `ARG` defaults they use) of the Dockerfiles and
        /// Containerfiles below DIR.
        #[arg(long, value_name = "DIR")]
        dockerfiles: Option<PathBuf>,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Block a base image version: services still built on it fail the build until they
    /// move off it or an exception covers them.
    BlockBase {
        name: String,
        version: String,
        /// Why (a CVE, an end of support), shown wherever the version is refused.
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Approve a base image version with its digest: a new version joins the catalog, a
    /// candidate or deprecated one is approved.
    ApproveBase {
        name: String,
        version: String,
        /// The digest the registry shows for the version's image (`sha256:…`).
        #[arg(long)]
        digest: String,
        /// Replace the digest recorded for the version (the tag was rebuilt and reviewed).
        #[arg(long)]
        replace_digest: bool,
        /// Approve a blocked version: the reason for the block no longer holds.
        #[arg(long)]
        unblock: bool,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Let a service keep a base image version the catalog no longer allows, until a day.
    Except {
        service: String,
        /// `NAME:VERSION` of `[base_images]`.
        base: String,
        /// The last day the exception holds (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        expires: Date,
        /// The ticket that tracks the fix.
        #[arg(long)]
        ticket: String,
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Move a service to the CI template wave of VERSION (the default version: out of every
    /// wave).
    MoveWave {
        service: String,
        version: String,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Pin a Terraform module to TAG or TAG@COMMIT, in one environment or as the default.
    PinModule {
        module: String,
        /// `TAG` or `TAG@COMMIT`.
        pin: String,
        /// Pin the module in this environment only (without it: the default every
        /// environment without its own pin follows).
        #[arg(long)]
        env: Option<String>,
        #[command(flatten)]
        output: EditOutput,
    },
}

impl EditCommand {
    pub(super) fn run(self, run: &Run<'_>) -> Outcome {
        match self {
            Self::Release { .. }
            | Self::Promote { .. }
            | Self::Advance { .. }
            | Self::Rollback { .. }
            | Self::Retire { .. } => self.run_release(run),
            Self::UpgradeBase {
                name,
                version,
                dockerfiles,
                output,
            } => run.upgrade_base(&name, &version, dockerfiles.as_deref(), output.diff),
            Self::BlockBase {
                name,
                version,
                reason,
                output,
            } => run.block_base(&name, &version, &reason, output.diff),
            Self::ApproveBase {
                name,
                version,
                digest,
                replace_digest,
                unblock,
                output,
            } => run.approve_base(
                &name,
                &version,
                &Approval {
                    digest: &digest,
                    replace_digest,
                    unblock,
                },
                output.diff,
            ),
            Self::Except {
                service,
                base,
                expires,
                ticket,
                reason,
                output,
            } => run.grant_exception(
                &ExceptionRequest {
                    service: &service,
                    base: &base,
                    expires,
                    ticket: &ticket,
                    reason: reason.as_deref(),
                },
                output.diff,
            ),
            Self::MoveWave {
                service,
                version,
                output,
            } => run.move_wave(&service, &version, output.diff),
            Self::PinModule {
                module,
                pin,
                env,
                output,
            } => run.pin_module(&module, env.as_deref(), &pin, output.diff),
        }
    }

    /// The commands that move versions between colours and environments.
    fn run_release(self, run: &Run<'_>) -> Outcome {
        match self {
            Self::Release {
                service,
                version,
                env,
                clusters,
                skip_order,
                ignore_window,
                output,
            } => run.edit_release(
                &service,
                (&env, &clusters.target()),
                &ReleaseAction::Release {
                    version,
                    skip_order,
                },
                output.diff,
                ignore_window,
            ),
            Self::Promote {
                service,
                env,
                clusters,
                ignore_window,
                output,
            } => run.edit_release(
                &service,
                (&env, &clusters.target()),
                &ReleaseAction::Promote,
                output.diff,
                ignore_window,
            ),
            Self::Advance {
                from,
                services,
                clusters,
                soak,
                digests,
                ignore_window,
                output,
            } => run.advance(
                (&from, &clusters.target()),
                &services,
                soak,
                &digests.into_iter().collect(),
                ignore_window,
                output.diff,
            ),
            // Rolling back and retiring are how trouble ends: no window refuses them.
            Self::Rollback {
                service,
                env,
                clusters,
                output,
            } => run.edit_release(
                &service,
                (&env, &clusters.target()),
                &ReleaseAction::Rollback,
                output.diff,
                true,
            ),
            Self::Retire {
                service,
                env,
                clusters,
                output,
            } => run.edit_release(
                &service,
                (&env, &clusters.target()),
                &ReleaseAction::Retire,
                output.diff,
                true,
            ),
            _ => unreachable!("run hands only the release commands here"),
        }
    }
}
