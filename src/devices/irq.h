#pragma once
// Interrupt wiring between devices and the interrupt controller. A device holds an IrqLine
// and raises or lowers it (level-triggered); the controller (the PLIC) implements IrqSink.
// set_irq may be called from any host thread (device back ends run on their own threads).
namespace strata {

class IrqSink {
 public:
  virtual ~IrqSink() = default;
  virtual void set_irq(unsigned source, bool level) = 0;
};

struct IrqLine {
  IrqSink* sink = nullptr;
  unsigned source = 0;
  void set(bool level) const {
    if (sink) sink->set_irq(source, level);
  }
};

}  // namespace strata
