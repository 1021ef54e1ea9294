#!/usr/bin/env pwsh
# Runs experiment files through the `diffusion` CLI (all logic lives in the tested CLI; this is a thin wrapper).
#   ./run-experiments.ps1                                   every experiments/*.yaml
#   ./run-experiments.ps1 experiments/quickstart.yaml       only the files given
#   ./run-experiments.ps1 --force --threads 2 --shard 1/4   options are passed to `diffusion run` (also --out DIR)
# Exit code: that of `diffusion run` (0 ok, 1 a run failed, 2 invalid input). Twin: run-experiments.sh.
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$files = @()
$options = @()
foreach ($arg in $args) {
    if ($arg -like '*.yaml' -or $arg -like '*.yml') { $files += $arg } else { $options += $arg }
}
if ($files.Count -eq 0) { $files = @(Get-ChildItem -Path experiments -Filter *.yaml | Sort-Object Name | ForEach-Object { "experiments/$($_.Name)" }) }
dotnet build src/Diffusion.Research.Cli/Diffusion.Research.Cli.csproj -c Release --nologo -v quiet | Out-Host
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
& dotnet src/Diffusion.Research.Cli/bin/Release/net10.0/diffusion.dll run @files @options
exit $LASTEXITCODE
