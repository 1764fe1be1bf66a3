package io.herald.event.domain;

/** A shipping address, carried inside OrderCreated so that no subscriber has to ask for it. */
public record Address(String street, String city, String postalCode, String country) {
}
