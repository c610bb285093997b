//! A compact catalog of popular PyPI distributions (late 2024 releases, CPython 3.12,
//! manylinux x86_64 wheels where the project ships binary wheels).
//!
//! Versions, wheel sizes and `Requires-Dist` (unconditional requirements only) are
//! recalled from the PyPI project pages of those releases; installed sizes are
//! estimates of the unpacked wheel plus compiled bytecode. No registry was queried
//! when this table was written: read the sizes as estimates within ~15 %. Sorted by
//! normalized name (PEP 503: lowercase, runs of `-_.` become `-`).

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
    py!("amqp", "amqp", "5.3.1", "amqp", 50_944, 250, false, ["vine"], []),
    py!("annotated-types", "annotated-types", "0.7.0", "annotated_types", 13_643, 52, false, [], []),
    py!("anyio", "anyio", "4.7.0", "anyio", 93_052, 460, false, ["idna", "sniffio"], []),
    py!("asgiref", "asgiref", "3.8.1", "asgiref", 23_768, 110, false, [], []),
    py!("billiard", "billiard", "4.2.1", "billiard", 86_840, 450, false, [], []),
    py!("blinker", "blinker", "1.9.0", "blinker", 8_458, 40, false, [], []),
    py!("boto3", "boto3", "1.35.80", "boto3", 139_178, 720, false, ["botocore", "jmespath", "s3transfer"], []),
    py!("botocore", "botocore", "1.35.80", "botocore", 13_150_000, 92_000, false, ["jmespath", "python-dateutil", "urllib3"], []),
    py!("celery", "celery", "5.4.0", "celery", 425_983, 2_600, false, ["billiard", "kombu", "vine", "click", "python-dateutil", "tzdata"], ["celery"]),
    py!("certifi", "certifi", "2024.8.30", "certifi", 167_321, 300, false, [], []),
    py!("charset-normalizer", "charset-normalizer", "3.4.0", "charset_normalizer", 143_574, 500, true, [], ["normalizer"]),
    py!("click", "click", "8.1.7", "click", 97_941, 420, false, [], []),
    py!("django", "Django", "5.1.4", "django", 8_276_180, 30_500, false, ["asgiref", "sqlparse"], ["django-admin"]),
    py!("djangorestframework", "djangorestframework", "3.15.2", "rest_framework", 1_071_235, 5_600, false, ["django"], []),
    py!("fastapi", "fastapi", "0.115.6", "fastapi", 94_812, 460, false, ["starlette", "pydantic", "typing-extensions"], ["fastapi"]),
    py!("flask", "flask", "3.1.0", "flask", 102_979, 320, false, ["werkzeug", "jinja2", "itsdangerous", "click", "blinker"], ["flask"]),
    py!("greenlet", "greenlet", "3.1.1", "greenlet", 600_060, 1_650, true, [], []),
    py!("gunicorn", "gunicorn", "23.0.0", "gunicorn", 85_029, 400, false, ["packaging"], ["gunicorn"]),
    py!("h11", "h11", "0.14.0", "h11", 58_259, 280, false, [], []),
    py!("httpcore", "httpcore", "1.0.7", "httpcore", 78_551, 410, false, ["certifi", "h11"], []),
    py!("httpx", "httpx", "0.28.1", "httpx", 73_551, 420, false, ["anyio", "certifi", "httpcore", "idna"], ["httpx"]),
    py!("idna", "idna", "3.10", "idna", 70_442, 400, false, [], []),
    py!("iniconfig", "iniconfig", "2.0.0", "iniconfig", 5_892, 24, false, [], []),
    py!("itsdangerous", "itsdangerous", "2.2.0", "itsdangerous", 16_057, 70, false, [], []),
    py!("jinja2", "Jinja2", "3.1.4", "jinja2", 133_271, 760, false, ["markupsafe"], []),
    py!("jmespath", "jmespath", "1.0.1", "jmespath", 20_256, 84, false, [], ["jp.py"]),
    py!("joblib", "joblib", "1.4.2", "joblib", 301_817, 1_450, false, [], []),
    py!("kombu", "kombu", "5.4.2", "kombu", 201_349, 1_050, false, ["amqp", "vine"], []),
    py!("markupsafe", "MarkupSafe", "3.0.2", "markupsafe", 23_300, 60, true, [], []),
    py!("numpy", "numpy", "2.2.0", "numpy", 16_400_000, 61_000, true, [], ["f2py", "numpy-config"]),
    py!("packaging", "packaging", "24.2", "packaging", 65_451, 300, false, [], []),
    py!("pandas", "pandas", "2.2.3", "pandas", 12_700_000, 72_000, true, ["numpy", "python-dateutil", "pytz", "tzdata"], []),
    py!("pillow", "pillow", "11.0.0", "PIL", 4_400_000, 13_200, true, [], []),
    py!("pluggy", "pluggy", "1.5.0", "pluggy", 20_556, 90, false, [], []),
    py!("psycopg2-binary", "psycopg2-binary", "2.9.10", "psycopg2", 3_000_000, 9_000, true, [], []),
    py!("pydantic", "pydantic", "2.10.3", "pydantic", 456_722, 1_950, false, ["annotated-types", "pydantic-core", "typing-extensions"], []),
    py!("pydantic-core", "pydantic_core", "2.27.1", "pydantic_core", 2_000_000, 5_500, true, ["typing-extensions"], []),
    py!("pytest", "pytest", "8.3.4", "pytest", 343_083, 1_500, false, ["iniconfig", "packaging", "pluggy"], ["pytest", "py.test"]),
    py!("python-dateutil", "python-dateutil", "2.9.0.post0", "dateutil", 229_889, 750, false, ["six"], []),
    py!("python-dotenv", "python-dotenv", "1.0.1", "dotenv", 19_863, 90, false, [], ["dotenv"]),
    py!("pytz", "pytz", "2024.2", "pytz", 508_002, 2_800, false, [], []),
    py!("pyyaml", "PyYAML", "6.0.2", "yaml", 767_000, 2_500, true, [], []),
    py!("redis", "redis", "5.2.1", "redis", 261_502, 1_300, false, [], []),
    py!("requests", "requests", "2.32.3", "requests", 64_928, 330, false, ["charset-normalizer", "idna", "urllib3", "certifi"], []),
    py!("s3transfer", "s3transfer", "0.10.4", "s3transfer", 83_175, 400, false, ["botocore"], []),
    py!("scikit-learn", "scikit-learn", "1.6.0", "sklearn", 13_300_000, 45_000, true, ["numpy", "scipy", "joblib", "threadpoolctl"], []),
    py!("scipy", "scipy", "1.14.1", "scipy", 41_200_000, 112_000, true, ["numpy"], []),
    py!("setuptools", "setuptools", "75.6.0", "setuptools", 1_224_032, 4_600, false, [], []),
    py!("six", "six", "1.17.0", "six.py", 11_050, 40, false, [], []),
    py!("sniffio", "sniffio", "1.3.1", "sniffio", 10_235, 30, false, [], []),
    py!("sqlalchemy", "SQLAlchemy", "2.0.36", "sqlalchemy", 3_200_000, 14_000, true, ["typing-extensions", "greenlet"], []),
    py!("sqlparse", "sqlparse", "0.5.3", "sqlparse", 44_415, 250, false, [], ["sqlformat"]),
    py!("starlette", "starlette", "0.41.3", "starlette", 73_225, 350, false, ["anyio"], []),
    py!("threadpoolctl", "threadpoolctl", "3.5.0", "threadpoolctl.py", 18_414, 60, false, [], []),
    py!("typing-extensions", "typing_extensions", "4.12.2", "typing_extensions.py", 37_438, 130, false, [], []),
    py!("tzdata", "tzdata", "2024.2", "tzdata", 346_648, 1_900, false, [], []),
    py!("urllib3", "urllib3", "2.2.3", "urllib3", 126_338, 600, false, [], []),
    py!("uvicorn", "uvicorn", "0.32.1", "uvicorn", 63_829, 300, false, ["click", "h11"], ["uvicorn"]),
    py!("vine", "vine", "5.1.0", "vine", 9_636, 40, false, [], []),
    py!("werkzeug", "Werkzeug", "3.1.3", "werkzeug", 224_498, 1_000, false, ["markupsafe"], []),
    py!("wheel", "wheel", "0.45.1", "wheel", 72_494, 250, false, [], ["wheel"]),
];
