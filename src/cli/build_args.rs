//! `brikg build`'s arguments, and their conversion into the library's build options.

use super::StoreArgs;
use clap::Args;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// What a violation of the SHACL shapes (ontology/shapes.ttl) does: refuse the build,
    /// warn and build anyway, or skip the check
    #[arg(long, value_enum, default_value = "enforce")]
    pub shacl: ShaclArg,
    /// What things or measures that look like one under two ids (names that read alike, one
    /// Wikidata item) do: warn and build, refuse the build (for a curated dataset's CI), or
    /// say nothing
    #[arg(long, value_enum, default_value = "warn")]
    pub duplicates: DuplicatesArg,
    /// Rebuild the store from this data even though it was built from another data directory
    /// (by default such a build is refused, so no one's articles are dropped by mistake)
    #[arg(long)]
    pub replace: bool,
    /// Read and hash every data file instead of trusting the size, modification time and inode
    /// of those recorded (see docs/data-and-store.md, "What a rebuild trusts")
    #[arg(long)]
    pub verify: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// `--duplicates` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DuplicatesArg {
    Warn,
    Error,
    Off,
}

impl From<DuplicatesArg> for brikg::build::DuplicateCheck {
    fn from(a: DuplicatesArg) -> Self {
        match a {
            DuplicatesArg::Warn => brikg::build::DuplicateCheck::Warn,
            DuplicatesArg::Error => brikg::build::DuplicateCheck::Error,
            DuplicatesArg::Off => brikg::build::DuplicateCheck::Off,
        }
    }
}

/// `--shacl` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ShaclArg {
    Enforce,
    Warn,
    Off,
}

impl BuildArgs {
    /// What a store built from other data does to the build.
    pub fn other_data(&self) -> brikg::build::OtherData {
        if self.replace {
            brikg::build::OtherData::Replace
        } else {
            brikg::build::OtherData::Refuse
        }
    }

    /// How the build tells changed files.
    pub fn check(&self) -> brikg::build::FileCheck {
        if self.verify {
            brikg::build::FileCheck::Contents
        } else {
            brikg::build::FileCheck::Stamps
        }
    }

    /// The build's SHACL mode.
    pub fn shacl(&self) -> brikg::build::ShaclMode {
        self.shacl.into()
    }
}

impl From<ShaclArg> for brikg::build::ShaclMode {
    fn from(a: ShaclArg) -> Self {
        match a {
            ShaclArg::Enforce => brikg::build::ShaclMode::Enforce,
            ShaclArg::Warn => brikg::build::ShaclMode::Warn,
            ShaclArg::Off => brikg::build::ShaclMode::Off,
        }
    }
}
