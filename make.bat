@echo off
rem Learning PyTorch with Examples on Windows: the Makefile's targets, for cmd
rem (make html) and PowerShell (.\make html); several run in order (make clean html).
rem Variables come from the environment, e.g. `set EXAMPLES=autograd` in cmd or
rem `$env:EXAMPLES = "autograd"` in PowerShell: PYTHON (default python; e.g. py -3.12,
rem or a path with spaces in quotes),
rem VENV, TORCH, EXAMPLES, SPHINXOPTS, PORT, LOCK_ARGS. The Makefile says what
rem each target does; install\environment.py makes .venv for both.
setlocal
cd /d "%~dp0"
if not defined PYTHON set "PYTHON=python"
if not defined VENV set "VENV=.venv"
if not defined BUILDDIR set "BUILDDIR=_build"
if not defined PORT set "PORT=8000"
rem The environment's interpreter (install/environment.py's venv_python).
set "PY=%VENV%\Scripts\python.exe"
set "SPHINXBUILD="%PY%" -m tools.site build "%BUILDDIR%" %SPHINXOPTS%"
rem This file's path, taken before any shift of the arguments.
set "SELF=%~f0"
if "%~1" == "" goto usage

:next
if "%~1" == "" exit /b 0
findstr /x /c:":target_%~1" "%SELF%" >nul || goto usage
call :target_%~1 || exit /b 1
shift
goto next

:usage
echo usage: make TARGET [TARGET ...], each one of:
for /f "tokens=2 delims=_" %%t in ('findstr /b /c:":target_" "%SELF%"') do echo   %%t
exit /b 2

:target_html
call :venv || exit /b 1
%SPHINXBUILD% --strict
exit /b

:target_html-draft
call :venv || exit /b 1
%SPHINXBUILD%
exit /b

:target_html-noplot
call :venv || exit /b 1
%SPHINXBUILD% -D plot_gallery=0
exit /b

:target_inventories
%PYTHON% -m tools.inventories
exit /b

:target_check
call :lint || exit /b 1
"%PY%" -X warn_default_encoding -m pytest tests/unit
exit /b

:target_test
call :lint || exit /b 1
"%PY%" -X warn_default_encoding -m pytest -n 2 --dist loadfile
exit /b

:target_audit
echo make audit runs on Linux and macOS only: Lighthouse is not set up for Windows here
exit /b 1

:target_bench
echo make bench runs on Linux and macOS only: it times builds through GNU make
exit /b 1

:target_gpu-record
call :venv || exit /b 1
set "GPU_RECORD_COMMAND=make gpu-record"
"%PY%" -m bench.gpu_record
exit /b

:target_clean
%PYTHON% -m tools.site clean "%BUILDDIR%"
exit /b

:target_serve
"%PY%" -m tools.site serve "%BUILDDIR%\html" %PORT%
exit /b

:target_check-install
call :venv || exit /b 1
"%PY%" -m pip install --quiet --constraint constraints.txt --group lock || exit /b 1
"%PY%" -m install.check
exit /b

:target_lock
call :venv || exit /b 1
"%PY%" -m pip install --constraint constraints.txt --group lock || exit /b 1
"%PY%" -m install.lock %LOCK_ARGS%
exit /b

rem ruff's formatting and lint checks, with which both tiers of tests begin.
:lint
call :venv || exit /b 1
"%PY%" -m ruff format --check . || exit /b 1
"%PY%" -m ruff check .
exit /b

rem .venv made, or brought up to date, by the interpreter PYTHON names.
:venv
%PYTHON% -c "" >nul 2>&1 && goto venv_python_found
echo %PYTHON% not found: install Python, e.g. winget install Python.Python.3.12, or name one, e.g. set PYTHON=py -3.12
exit /b 1
:venv_python_found
%PYTHON% install\environment.py --venv "%VENV%" --torch "%TORCH%" --python "%PYTHON:"=%"
exit /b
