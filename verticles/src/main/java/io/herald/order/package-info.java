/** The order service: the Order aggregate and its rules (pending → paid → shipped, or cancelled). */
package io.herald.order;
