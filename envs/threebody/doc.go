// Package threebody is a gravitational N-body environment in plain Go with a Gym-like
// interface, built to reproduce "Reinforcement Learning for Adaptive Time-Stepping in the
// Chaotic Gravitational Three-Body Problem" (Saz Ulibarrena & Portegies Zwart 2025,
// arXiv 2502.12809): an agent picks, every 0.1 yr, the time-step parameter of the
// integrator, trading energy error against computation.
//
// Units are N-body units with G = 1, mass unit 3 M☉ and length unit 1 au (as the paper's
// AMUSE converter), so the time unit is 1/(2π√3) yr ≈ 0.0919 yr and the velocity unit
// ≈ 51.6 km/s.
//
// Integrators: a 4th-order Hermite predictor–corrector with a shared step dt = μ·t_coll
// (the paper's Hermite), a variable-step leapfrog with the same rule ("Huayno-like"), a
// Hermite with the dt = μ·|a|/|j| criterion ("ph4-like"), and a fixed-step 4th-order
// symplectic integrator (Yoshida 1990; "Symple-like").
package threebody
