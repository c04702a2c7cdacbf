//! `cailiang`: check and format rule files, evaluate cases, assess positive-list profiles,
//! list the catalogue, run the example cases. Exit status: 0 success, 1 rule or case errors, 2 usage.

/// `println!` that ends the program quietly when the reader has gone (`cailiang eval … | head`):
/// `println!` panics on a closed pipe, and no input may make the CLI panic.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($t)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod catalogue;
mod check;
mod eval;
mod fmt;
mod load;
mod render;
mod supervise;
mod test;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// 裁量：生态环境行政处罚裁量规则引擎
#[derive(Parser)]
#[command(name = "cailiang", version, about = "生态环境行政处罚裁量规则引擎")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output format.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// Human text.
    Text,
    /// JSON.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// 检查规则文件（文件或目录）
    Check {
        /// .rules files or folders
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// text or json
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// 格式化规则文件
    Fmt {
        /// Only check that files are formatted (exit 1 if not).
        #[arg(long)]
        check: bool,
        /// .rules files or folders
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// 对案件作出裁量决定
    Eval {
        /// Rule files or folders (parents named by 继承 are found in sibling folders).
        #[arg(long, required = true)]
        rules: Vec<PathBuf>,
        /// Which ruleset to apply when the folder holds several.
        #[arg(long)]
        ruleset: Option<String>,
        /// Case files (JSON or YAML); `-` reads JSON from standard input.
        #[arg(required = true)]
        cases: Vec<PathBuf>,
        /// text or json
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
    /// 列出违法行为目录
    Catalogue {
        /// Rule files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Which ruleset.
        #[arg(long)]
        ruleset: Option<String>,
        /// text or json
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// 按正面清单评估企业档案（差异化监管）
    Supervise {
        /// Rule files or folders (parents named by 继承 are found in sibling folders).
        #[arg(long, required = true)]
        rules: Vec<PathBuf>,
        /// Which ruleset to apply when the folder holds several.
        #[arg(long)]
        ruleset: Option<String>,
        /// Profile files (JSON or YAML; `.jsonl`: one JSON profile per line); `-` reads JSON
        /// from standard input.
        #[arg(required = true)]
        profiles: Vec<PathBuf>,
        /// text or json
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
    /// 运行规则集旁的示例案件
    Test {
        /// Ruleset folders (each with an examples/ folder), or a folder of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let code = match cli.command {
        Command::Check { paths, format } => check::run(&paths, format == Format::Json),
        Command::Fmt { check, paths } => fmt::run(&paths, check),
        Command::Eval {
            rules,
            ruleset,
            cases,
            format,
        } => eval::run(&rules, ruleset.as_deref(), &cases, format == Format::Json),
        Command::Catalogue {
            paths,
            ruleset,
            format,
        } => catalogue::run(&paths, ruleset.as_deref(), format == Format::Json),
        Command::Supervise {
            rules,
            ruleset,
            profiles,
            format,
        } => supervise::run(
            &rules,
            ruleset.as_deref(),
            &profiles,
            format == Format::Json,
        ),
        Command::Test { paths } => test::run(&paths),
    };
    ExitCode::from(code)
}
