/**
 * The DICOM PS3.15 Annex A.5 audit message (and its RFC 3881 ancestor) as immutable records, and
 * the safe, lenient StAX reader that produces them. {@link
 * org.atnabridge.atna.dicom.DicomAuditXmlReader} is the entry point.
 */
@NullMarked
package org.atnabridge.atna.dicom;

import org.jspecify.annotations.NullMarked;
