use clap::{Parser, Subcommand};

// --- forecasting (forecast branch) ---
mod forecast_cmd;
// --- end forecasting ---

/// Accord: model and forecast multi-party negotiations.
#[derive(Parser)]
#[command(name = "accord", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    // --- forecasting (forecast branch) ---
    /// Forecast issue outcomes with the compromise, median, EUM and SMP models.
    Forecast(forecast_cmd::ForecastArgs),
    /// Score the forecasting models against DEU outcomes.
    Backtest(forecast_cmd::BacktestArgs),
    // --- end forecasting ---
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Forecast(a) => forecast_cmd::run_forecast(a),
        Command::Backtest(a) => forecast_cmd::run_backtest(a),
    };
    match result {
        Ok(code) => std::process::ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
