<#
.SYNOPSIS
    Build the gocong_desktop Windows installer: PyInstaller bundle, smoke test,
    optional code signing, NSIS installer. Run on Windows 10/11 (64 bit) from any folder.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1

.EXAMPLE
    # signed with a certificate in the Windows certificate store
    powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1 -CertThumbprint 0123ABCD...

.EXAMPLE
    # signed with a .pfx file; its password in the SIGN_PFX_PASSWORD environment variable
    powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1 -PfxFile C:\keys\gocong.pfx

.NOTES
    Needs Python 3.11 (64 bit) and NSIS 3 (choco install nsis, or winget install NSIS.NSIS).
    Output: dist\gocong-desktop\ (the bundle) and dist\gocong-desktop-<version>-setup.exe.
    See installer\README.md.
#>
param(
    [string]$Python = "py -3.11",
    [switch]$SkipSmokeTest,
    [string]$CertThumbprint = $env:SIGN_CERT_THUMBPRINT,
    [string]$PfxFile = $env:SIGN_PFX_FILE,
    [string]$TimestampUrl = "http://timestamp.digicert.com"
)

$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Checked([string]$File, [string[]]$Arguments) {
    $shown = for ($i = 0; $i -lt $Arguments.Count; $i++) {
        if ($i -gt 0 -and $Arguments[$i - 1] -eq "/p") { "***" } else { $Arguments[$i] }  # no password in logs
    }
    Write-Host "> $File $($shown -join ' ')"
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File failed with exit code $LASTEXITCODE" }
}

function Find-Tool([string]$Name, [string[]]$Candidates) {
    $found = Get-Command $Name -ErrorAction SilentlyContinue
    if ($found) { return $found.Source }
    foreach ($pattern in $Candidates) {
        $hit = Get-ChildItem -Path $pattern -ErrorAction SilentlyContinue | Sort-Object FullName -Descending |
            Select-Object -First 1
        if ($hit) { return $hit.FullName }
    }
    return $null
}

# ---- 1. a virtual environment with the app and PyInstaller --------------------
$Py = Join-Path $Root ".venv\Scripts\python.exe"
if (-not (Test-Path $Py)) {
    $parts = @($Python -split " " | Where-Object { $_ })
    Invoke-Checked $parts[0] (@($parts | Select-Object -Skip 1) + @("-m", "venv", ".venv"))
}
Invoke-Checked $Py @("-m", "pip", "install", "--quiet", "--upgrade", "pip")
# [test] brings pypdf, which the smoke test uses to read the minutes PDF back.
Invoke-Checked $Py @("-m", "pip", "install", "--quiet", "-e", ".[build,test]")

# ---- 2. the version: gocong_desktop/__init__.py is the one source -------------
$VersionCode = "import sys; sys.path.insert(0, 'installer'); import version_info as v; " +
               "x = v.package_version(); print(x, '.'.join(map(str, v.version_tuple(x))))"
$Version, $VersionNumeric = (& $Py -c $VersionCode).Trim() -split " "
Write-Host "gocong_desktop $Version ($VersionNumeric)"

# ---- 3. the one-folder bundle ---------------------------------------------------
Invoke-Checked $Py @("-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", "dist",
                     "--workpath", "build\pyinstaller", "installer\gocong_desktop.spec")
$Bundle = Join-Path $Root "dist\gocong-desktop"

# ---- 4. code signing (optional) -------------------------------------------------
$Sign = [bool]$CertThumbprint -or [bool]$PfxFile
$SignArgs = @()
if ($Sign) {
    $SignTool = Find-Tool "signtool.exe" @("${env:ProgramFiles(x86)}\Windows Kits\10\bin\10.*\x64\signtool.exe")
    if (-not $SignTool) { throw "signtool.exe not found: install the Windows SDK (signing tools)" }
    $SignArgs = @("sign", "/fd", "SHA256", "/tr", $TimestampUrl, "/td", "SHA256", "/d", "gocong_desktop")
    if ($PfxFile) { $SignArgs += @("/f", $PfxFile) } else { $SignArgs += @("/sha1", $CertThumbprint) }
    $Password = @()
    $PasswordForNsis = ""
    if ($PfxFile -and $env:SIGN_PFX_PASSWORD) {
        $Password = @("/p", $env:SIGN_PFX_PASSWORD)
        $PasswordForNsis = " /p %SIGN_PFX_PASSWORD%"  # expanded by cmd when makensis runs it: not on disk
    }
    # The executables first, so that the installer packs signed files.
    Invoke-Checked $SignTool ($SignArgs + $Password + @("$Bundle\gocong-desktop.exe", "$Bundle\gocong-desktop-cli.exe"))
    # makensis signs the uninstaller it generates and the installer itself (!uninstfinalize, !finalize).
    New-Item -ItemType Directory -Force -Path build | Out-Null
    $quoted = ($SignArgs | ForEach-Object { if ($_ -match '\s') { "`"$_`"" } else { $_ } }) -join " "
    $command = "`"$SignTool`" $quoted$PasswordForNsis `"%1`""
    Set-Content -Path build\sign.nsh -Encoding ASCII -Value @(
        "!finalize '$command'",
        "!uninstfinalize '$command'")
}

# ---- 5. smoke test of the bundle (the installer script is syntax-checked too) ---
if (-not $SkipSmokeTest) {
    $env:QT_QPA_PLATFORM = "offscreen"
    Invoke-Checked $Py @("installer\smoke_test.py", "--no-build")
    Remove-Item Env:\QT_QPA_PLATFORM
}

# ---- 6. the installer -----------------------------------------------------------
$Makensis = Find-Tool "makensis.exe" @("${env:ProgramFiles(x86)}\NSIS\makensis.exe", "$env:ProgramFiles\NSIS\makensis.exe")
if (-not $Makensis) { throw "makensis.exe not found: install NSIS 3 (choco install nsis)" }
$Setup = Join-Path $Root "dist\gocong-desktop-$Version-setup.exe"
$NsisArgs = @("/V3", "/DVERSION=$Version", "/DVERSION_NUMERIC=$VersionNumeric", "/DBUNDLE_DIR=$Bundle",
              "/DOUTFILE=$Setup")
if ($Sign) { $NsisArgs += "/DSIGN_INCLUDE=$Root\build\sign.nsh" }
Invoke-Checked $Makensis ($NsisArgs + @("installer\gocong_desktop.nsi"))

$size = [math]::Round((Get-Item $Setup).Length / 1MB, 1)
Write-Host "Installer: $Setup ($size MB)$(if ($Sign) { ', signed' } else { ', NOT signed' })"
