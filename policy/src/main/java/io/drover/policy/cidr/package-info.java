/**
 * Prefix arithmetic for address sets ({@link io.drover.policy.cidr.CidrMath}): an ipBlock minus its excepts, and a
 * union of prefixes, each as non-overlapping prefixes the kernel's interval sets accept.
 */
package io.drover.policy.cidr;
