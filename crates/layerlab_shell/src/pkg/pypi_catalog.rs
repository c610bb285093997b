//! A compact catalog of popular PyPI distributions (late 2024 releases, CPython 3.12,
//! manylinux x86_64 wheels where the project ships binary wheels).
//!
//! Versions and `Requires-Dist` (unconditional requirements only) are from the PyPI
//! project pages of those releases. Sizes were measured (December 2026) on each
//! pinned release's wheel from PyPI (`pip download --no-deps --only-binary=:all:
//! --python-version 3.12 --platform manylinux…x86_64`): the wheel's size in bytes, and
//! the installed size as pip leaves it, the wheel unpacked plus its bytecode compiled
//! (`__pycache__`, which roughly doubles pure-Python packages), in KiB.
//! `crates/layerlab_shell/scripts/check-catalog-sizes.sh` repeats the measurement.
//! Sorted by normalized name (PEP 503: lowercase, runs of `-_.` become `-`).

use super::PyPackage;

macro_rules! py {
    ($name:literal, $display:literal, $version:literal, $module:literal, $wheel:literal, $kib:literal, $bin:literal, [$($dep:literal),*], [$($script:literal),*]) => {
        PyPackage {
            name: $name,
            display: $display,
            version: $version,
            module: $module,
            wheel_bytes: $wheel,
            installed: $kib * 1024,
            binary: $bin,
            depends: &[$($dep),*],
            scripts: &[$($script),*],
        }
    };
}

/// Distributions by normalized name (sorted).
#[rustfmt::skip]
pub(crate) const PYPI: &[PyPackage] = &[
    py!("amqp", "amqp", "5.3.1", "amqp", 50_944, 407, false, ["vine"], []),
    py!("annotated-types", "annotated-types", "0.7.0", "annotated_types", 13_643, 91, false, [], []),
    py!("anyio", "anyio", "4.7.0", "anyio", 93_052, 960, false, ["idna", "sniffio"], []),
    py!("asgiref", "asgiref", "3.8.1", "asgiref", 23_828, 163, false, [], []),
    py!("billiard", "billiard", "4.2.1", "billiard", 86_766, 773, false, [], []),
    py!("blinker", "blinker", "1.9.0", "blinker", 8_458, 66, false, [], []),
    py!("boto3", "boto3", "1.35.80", "boto3", 139_179, 1_460, false, ["botocore", "jmespath", "s3transfer"], []),
    py!("botocore", "botocore", "1.35.80", "botocore", 13_263_229, 21_827, false, ["jmespath", "python-dateutil", "urllib3"], []),
    py!("celery", "celery", "5.4.0", "celery", 425_983, 3_510, false, ["billiard", "kombu", "vine", "click", "python-dateutil", "tzdata"], ["celery"]),
    py!("certifi", "certifi", "2024.8.30", "certifi", 167_321, 322, false, [], []),
    py!("charset-normalizer", "charset-normalizer", "3.4.0", "charset_normalizer", 143_838, 637, true, [], ["normalizer"]),
    py!("click", "click", "8.1.7", "click", 97_941, 823, false, [], []),
    py!("django", "Django", "5.1.4", "django", 8_276_471, 40_493, false, ["asgiref", "sqlparse"], ["django-admin"]),
    py!("djangorestframework", "djangorestframework", "3.15.2", "rest_framework", 1_071_235, 4_556, false, ["django"], []),
    py!("fastapi", "fastapi", "0.115.6", "fastapi", 94_843, 1_202, false, ["starlette", "pydantic", "typing-extensions"], ["fastapi"]),
    py!("flask", "flask", "3.1.0", "flask", 102_979, 760, false, ["werkzeug", "jinja2", "itsdangerous", "click", "blinker"], ["flask"]),
    py!("greenlet", "greenlet", "3.1.1", "greenlet", 660_105, 2_449, true, [], []),
    py!("gunicorn", "gunicorn", "23.0.0", "gunicorn", 85_029, 703, false, ["packaging"], ["gunicorn"]),
    py!("h11", "h11", "0.14.0", "h11", 58_259, 453, false, [], []),
    py!("httpcore", "httpcore", "1.0.7", "httpcore", 78_551, 679, false, ["certifi", "h11"], []),
    py!("httpx", "httpx", "0.28.1", "httpx", 73_517, 677, false, ["anyio", "certifi", "httpcore", "idna"], ["httpx"]),
    py!("idna", "idna", "3.10", "idna", 70_442, 646, false, [], []),
    py!("iniconfig", "iniconfig", "2.0.0", "iniconfig", 5_892, 47, false, [], []),
    py!("itsdangerous", "itsdangerous", "2.2.0", "itsdangerous", 16_234, 113, false, [], []),
    py!("jinja2", "Jinja2", "3.1.4", "jinja2", 133_271, 1_189, false, ["markupsafe"], []),
    py!("jmespath", "jmespath", "1.0.1", "jmespath", 20_256, 183, false, [], ["jp.py"]),
    py!("joblib", "joblib", "1.4.2", "joblib", 301_817, 2_058, false, [], []),
    py!("kombu", "kombu", "5.4.2", "kombu", 201_349, 1_693, false, ["amqp", "vine"], []),
    py!("markupsafe", "MarkupSafe", "3.0.2", "markupsafe", 23_118, 108, true, [], []),
    py!("numpy", "numpy", "2.2.0", "numpy", 16_095_819, 66_903, true, [], ["f2py", "numpy-config"]),
    py!("packaging", "packaging", "24.2", "packaging", 65_451, 499, false, [], []),
    py!("pandas", "pandas", "2.2.3", "pandas", 12_739_445, 74_087, true, ["numpy", "python-dateutil", "pytz", "tzdata"], []),
    py!("pillow", "pillow", "11.0.0", "PIL", 4_300_762, 13_740, true, [], []),
    py!("pluggy", "pluggy", "1.5.0", "pluggy", 20_556, 158, false, [], []),
    py!("psycopg2-binary", "psycopg2-binary", "2.9.10", "psycopg2", 3_020_968, 7_539, true, [], []),
    py!("pydantic", "pydantic", "2.10.3", "pydantic", 456_997, 3_810, false, ["annotated-types", "pydantic-core", "typing-extensions"], []),
    py!("pydantic-core", "pydantic_core", "2.27.1", "pydantic_core", 2_161_161, 5_437, true, ["typing-extensions"], []),
    py!("pytest", "pytest", "8.3.4", "pytest", 343_083, 2_806, false, ["iniconfig", "packaging", "pluggy"], ["pytest", "py.test"]),
    py!("python-dateutil", "python-dateutil", "2.9.0.post0", "dateutil", 229_892, 787, false, ["six"], []),
    py!("python-dotenv", "python-dotenv", "1.0.1", "dotenv", 19_863, 118, false, [], ["dotenv"]),
    py!("pytz", "pytz", "2024.2", "pytz", 508_002, 1_158, false, [], []),
    py!("pyyaml", "PyYAML", "6.0.2", "yaml", 767_542, 2_940, true, [], []),
    py!("redis", "redis", "5.2.1", "redis", 261_502, 2_575, false, [], []),
    py!("requests", "requests", "2.32.3", "requests", 64_928, 440, false, ["charset-normalizer", "idna", "urllib3", "certifi"], []),
    py!("s3transfer", "s3transfer", "0.10.4", "s3transfer", 83_175, 658, false, ["botocore"], []),
    py!("scikit-learn", "scikit-learn", "1.6.0", "sklearn", 13_140_402, 56_113, true, ["numpy", "scipy", "joblib", "threadpoolctl"], []),
    py!("scipy", "scipy", "1.14.1", "scipy", 40_849_331, 152_077, true, ["numpy"], []),
    py!("setuptools", "setuptools", "75.6.0", "setuptools", 1_224_032, 9_493, false, [], []),
    py!("six", "six", "1.17.0", "six.py", 11_050, 95, false, [], []),
    py!("sniffio", "sniffio", "1.3.1", "sniffio", 10_235, 55, false, [], []),
    py!("sqlalchemy", "SQLAlchemy", "2.0.36", "sqlalchemy", 3_243_044, 21_895, true, ["typing-extensions", "greenlet"], []),
    py!("sqlparse", "sqlparse", "0.5.3", "sqlparse", 44_415, 366, false, [], ["sqlformat"]),
    py!("starlette", "starlette", "0.41.3", "starlette", 73_225, 661, false, ["anyio"], []),
    py!("threadpoolctl", "threadpoolctl", "3.5.0", "threadpoolctl.py", 18_414, 139, false, [], []),
    py!("typing-extensions", "typing_extensions", "4.12.2", "typing_extensions.py", 37_438, 308, false, [], []),
    py!("tzdata", "tzdata", "2024.2", "tzdata", 346_586, 755, false, [], []),
    py!("urllib3", "urllib3", "2.2.3", "urllib3", 126_338, 910, false, [], []),
    py!("uvicorn", "uvicorn", "0.32.1", "uvicorn", 63_828, 555, false, ["click", "h11"], ["uvicorn"]),
    py!("vine", "vine", "5.1.0", "vine", 9_636, 64, false, [], []),
    py!("werkzeug", "Werkzeug", "3.1.3", "werkzeug", 224_498, 1_775, false, ["markupsafe"], []),
    py!("wheel", "wheel", "0.45.1", "wheel", 72_494, 531, false, [], ["wheel"]),
];
