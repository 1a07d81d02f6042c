/**
 * Labels follow the patient: when reference data raises a patient's confidentiality, the events
 * already stored about that patient are labelled too, index-side ({@link
 * org.atnabridge.store.RaisedLabels}), by a bounded background job.
 */
@NullMarked
package org.atnabridge.store.relabel;

import org.jspecify.annotations.NullMarked;
