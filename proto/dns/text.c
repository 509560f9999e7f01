/* SPDX-License-Identifier: BSD-3-Clause */
// Placeholder: implemented on its own branch.
