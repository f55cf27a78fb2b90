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
    /// Release VERSION: on a deployment's idle colour, in place for other kinds
    ///
    /// VERSION goes on the idle colour of SERVICE in ENV; live traffic is unchanged
    /// and the preview host reaches the new version. A worker, statefulset, cronjob
    /// or job has no colours: VERSION replaces the one it runs in ENV (its
    /// `deploy.<env>.version`). Refused (exit 1) unless VERSION
    /// is live in the environment declared before ENV (a version only on the idle
    /// colour there does not count: promote it there first), or in every cluster of
    /// the earlier waves with --wave; --skip-order overrides.
    ///
    /// Refused (exit 1) while ENV's sync windows keep it closed, unless
    /// --ignore-window. Edits the spec only; `fleetc build` writes the tree.
    #[command(verbatim_doc_comment)]
    Release {
        /// The service, as named under `[services]`.
        service: String,
        /// The version to release: a tag, or `TAG@sha256:…` where ENV requires digests.
        version: String,
        /// The environment to release into.
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
    /// Switch live traffic to the idle colour
    ///
    /// The main Service's selector flips to the idle colour; the Ingress does not
    /// change, and the colour that was live stays up for a rollback. Refused (exit 1)
    /// while ENV's sync windows keep it closed, unless --ignore-window. For a
    /// deployment only: the other kinds roll in place, and `release` already made
    /// their version current.
    #[command(verbatim_doc_comment)]
    Promote {
        /// The service, as named under `[services]`.
        service: String,
        /// The environment.
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
    /// Release into the next environment the versions live in FROM
    ///
    /// Every service that can move, or exactly those named, gets in the environment
    /// declared after FROM the version live in FROM: one spec edit, one plan.
    /// Blue/green services get it on their idle colour (promote each when verified);
    /// Rollouts move their live version. A service already live there stays; one with
    /// another release in flight there stays, or is refused (exit 1) when named.
    ///
    /// Where the next environment requires digests, the digest comes from any
    /// environment that pins the same tag, or --digest. --soak 24h refuses (exit 1)
    /// unless every version has been live that long, counted from the commit that
    /// made it live. --wave N or --cluster C aims at some clusters of the next
    /// environment. Nothing to move is exit 0.
    #[command(verbatim_doc_comment)]
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
    /// Switch live traffic back to the colour live before the last promote
    ///
    /// An error once that colour is retired. Never refused by sync windows: it is how
    /// trouble ends.
    #[command(verbatim_doc_comment)]
    Rollback {
        /// The service, as named under `[services]`.
        service: String,
        /// The environment.
        #[arg(long)]
        env: String,
        #[command(flatten)]
        clusters: ClusterTarget,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Remove the idle colour once a release is settled (or abandoned)
    ///
    /// Settles a promoted release, or abandons one that was never promoted. Never
    /// refused by sync windows.
    #[command(verbatim_doc_comment)]
    Retire {
        /// The service, as named under `[services]`.
        service: String,
        /// The environment.
        #[arg(long)]
        env: String,
        #[command(flatten)]
        clusters: ClusterTarget,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Move every service on an older version of a base image to VERSION
    ///
    /// The forced security upgrade: every service whose next build uses an older
    /// version of NAME moves to VERSION (an approved one) in the spec, comments kept.
    /// The versions already running keep their old base (`built_on`), so pods are
    /// never relabelled without a rebuild. Works on a spec that no longer compiles
    /// because a version was just blocked.
    ///
    /// With --dockerfiles DIR, the matching `FROM` lines (or the ARG defaults they
    /// use) are rewritten too, changing exactly the bytes of the version.
    #[command(verbatim_doc_comment)]
    UpgradeBase {
        /// The base image, as named under `[base_images]`.
        name: String,
        /// The version (tag) of the base image.
        version: String,
        /// Also rewrite the `FROM` lines (or the `ARG` defaults they use) of the Dockerfiles and
        /// Containerfiles below DIR.
        #[arg(long, value_name = "DIR")]
        dockerfiles: Option<PathBuf>,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Block a base image version
    ///
    /// The version's status becomes `blocked` with the reason (a deprecation deadline
    /// goes). The services still built on it, by their next build or a version they
    /// run, are named with what moves them off it, and `build` fails until then.
    /// Refused (exit 1) for a version already blocked.
    #[command(verbatim_doc_comment)]
    BlockBase {
        /// The base image, as named under `[base_images]`.
        name: String,
        /// The version (tag) of the base image.
        version: String,
        /// Why (a CVE, an end of support), shown wherever the version is refused.
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Approve a base image version with its digest
    ///
    /// Adds a version to the catalog as approved, or approves a candidate or
    /// deprecated one (its reason and deadline go). A digest other than the one
    /// recorded is another image under the same tag: refused (exit 1) unless
    /// --replace-digest. A blocked version is refused unless --unblock; a version
    /// already approved with that digest is refused.
    #[command(verbatim_doc_comment)]
    ApproveBase {
        /// The base image, as named under `[base_images]`.
        name: String,
        /// The version (tag) of the base image.
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
    /// Let a service keep a base image version the catalog no longer allows
    ///
    /// Adds an `[[exceptions]]` entry until --expires (or updates the one for the
    /// same service and base). Refused (exit 1) for a service not built on that
    /// version (neither its next build nor a version it runs) and for an approved
    /// version; a day before --today is bad input.
    #[command(verbatim_doc_comment)]
    Except {
        /// The service, as named under `[services]`.
        service: String,
        /// `NAME:VERSION` of `[base_images]`.
        base: String,
        /// The last day the exception holds (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        expires: Date,
        /// The ticket that tracks the fix.
        #[arg(long)]
        ticket: String,
        /// Why the service may keep the version meanwhile.
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Move a service to the CI template wave of VERSION
    ///
    /// Out of its wave (a wave left empty goes, and `waves` with it), into the wave of
    /// VERSION or a new one; the default `ci.version` takes it out of every wave.
    /// Refused (exit 1) when the service already uses VERSION.
    #[command(verbatim_doc_comment)]
    MoveWave {
        /// The service, as named under `[services]`.
        service: String,
        /// The template version (`vMAJOR.MINOR.PATCH`) whose wave takes the service.
        version: String,
        #[command(flatten)]
        output: EditOutput,
    },
    /// Pin a Terraform module, in one environment or as the default
    ///
    /// PIN is TAG or TAG@COMMIT. With --env, the environment's own pin
    /// (`<env> = "TAG@COMMIT"`; the default pin removes it); without, the default
    /// (`version`, `commit`), and environments with their own pin keep it and are
    /// named. A module pinned by commit stays pinned by commit: a tag alone is
    /// refused (exit 1), as is the pin it already has.
    #[command(verbatim_doc_comment)]
    PinModule {
        /// The module, as named under `[terraform.modules]`.
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
