// Package dqn is a deep Q-network agent (Mnih et al. 2015) trained with GoMLX, with the
// settings of the three-body time-stepping paper's code (Saz Ulibarrena & Portegies Zwart
// 2025): replay memory, a target network with soft updates (τ), the Huber loss, gradient
// values clipped at 100, AdamW with AMSGrad, and ε = ε_end + (ε_start − ε_end)·exp(−steps/decay).
//
// The Q-network is the code's: an input layer, then one hidden layer whose weights are
// shared and applied Layers times (weight-tied), then the output layer, all with ReLU.
package dqn
