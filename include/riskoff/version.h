/* riskoff's version: the one place it is written. CMakeLists.txt reads it from here, so the
   libraries, the CLI (`riskoff --version`), the package files and these macros always agree. */
#ifndef RISKOFF_VERSION_H
#define RISKOFF_VERSION_H

#define RISKOFF_VERSION_MAJOR 0
#define RISKOFF_VERSION_MINOR 1
#define RISKOFF_VERSION_PATCH 0
#define RISKOFF_VERSION_STRING "0.1.0"
/* One number that orders versions: major * 10000 + minor * 100 + patch. */
#define RISKOFF_VERSION_NUMBER (RISKOFF_VERSION_MAJOR * 10000 + RISKOFF_VERSION_MINOR * 100 + RISKOFF_VERSION_PATCH)

#endif
