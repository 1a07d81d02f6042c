/** The FHIR R4 face of the repository: ITI-81 on R4 and the BALP R4 projection of stored events. */
@NullMarked
package org.atnabridge.search.r4;

import org.jspecify.annotations.NullMarked;
