# Every row of the instruction table (src/isa/table.cpp), with operand variants that exercise
# objdump's aliases: x0 and ra operands, zero/negative/extreme immediates, every rounding mode,
# every aq/rl combination, CSR names, fence sets and the compressed hints.
# Assembled by tests/unit/disasm_objdump_test.cpp with
#   riscv64-linux-gnu-as -march=rv64gc_zba_zbb_zbs_zicsr_zifencei_zihintpause
# binutils 2.40 has no Zicond: those rows are emitted with .insn (objdump prints them as data,
# and the test compares our text against the spelling newer binutils use).

	.text
	.globl	_start
_start:
	.option	norvc

# ---- RV64I: upper immediates and control transfer -------------------------------------------
back:
	lui	a0, 0x12345
	lui	t6, 0xfffff
	lui	zero, 1
	auipc	a0, 0
	auipc	s11, 0x80000
	jal	zero, back
	jal	ra, forward
	jal	t0, back
	jal	s1, forward
	jalr	zero, 0(ra)
	jalr	zero, 0(a0)
	jalr	zero, 8(a0)
	jalr	zero, 8(ra)
	jalr	ra, 0(a0)
	jalr	ra, -8(a0)
	jalr	t0, 0(a0)
	jalr	t0, 2047(a0)
	jalr	zero, -2048(t1)
	beq	a0, a1, back
	beq	a0, zero, forward
	beq	zero, a0, back
	bne	t0, t1, forward
	bne	s0, zero, back
	blt	a0, a1, back
	blt	a0, zero, forward
	blt	zero, a0, back
	blt	zero, zero, back
	bge	a0, a1, forward
	bge	a0, zero, back
	bge	zero, a0, forward
	bge	zero, zero, back
	bltu	a2, a3, back
	bltu	zero, a3, forward
	bgeu	a4, a5, back
	bgeu	a4, zero, forward
forward:

# ---- RV64I: loads and stores ------------------------------------------------------------------
	lb	a0, -2048(sp)
	lb	zero, 0(a0)
	lh	a1, 2047(s0)
	lw	a2, 4(zero)
	lw	t6, -4(t5)
	ld	a3, 16(tp)
	ld	ra, 8(sp)
	lbu	a4, 1(a5)
	lhu	a6, -2(a7)
	lwu	s2, 100(s3)
	sb	a0, -2048(sp)
	sb	zero, 0(a0)
	sh	a1, 2047(s0)
	sw	a2, 4(zero)
	sw	t6, -4(t5)
	sd	a3, 16(tp)
	sd	ra, 8(sp)

# ---- RV64I: register-immediate -----------------------------------------------------------------
	addi	zero, zero, 0
	addi	zero, zero, 5
	addi	t0, zero, 0
	addi	a0, zero, -2048
	addi	a0, zero, 2047
	addi	zero, t0, 0
	addi	a0, a1, 0
	addi	a0, a1, -1
	addi	sp, sp, -16
	addi	s0, sp, 2047
	slti	a0, a1, -1
	slti	a0, zero, 5
	sltiu	a0, a1, 1
	sltiu	a0, a1, -1
	sltiu	a0, a1, 2
	xori	a0, a1, -1
	xori	a0, a1, 1
	xori	zero, zero, -2048
	ori	a0, a1, 0
	ori	a0, a1, -1
	ori	t3, t4, 1365
	andi	a0, a1, 255
	andi	a0, a1, 254
	andi	a0, a1, -2048
	slli	a0, a1, 0
	slli	a0, a1, 63
	slli	zero, zero, 1
	srli	a0, a1, 0
	srli	s4, s5, 32
	srai	a0, a1, 63
	srai	s6, s7, 1

# ---- RV64I: register-register -------------------------------------------------------------------
	add	a0, a1, a2
	add	zero, zero, zero
	add	a0, zero, a1
	sub	a0, a1, a2
	sub	a0, zero, a1
	sub	a0, a1, zero
	sll	t0, t1, t2
	slt	a0, a1, a2
	slt	a0, a1, zero
	slt	a0, zero, a1
	slt	a0, zero, zero
	sltu	a0, a1, a2
	sltu	a0, zero, a1
	sltu	a0, zero, zero
	xor	s8, s9, s10
	srl	s11, t3, t4
	sra	t5, t6, a0
	or	a0, a0, a0
	and	a1, zero, a2

# ---- RV64I: 32-bit operations ----------------------------------------------------------------------
	addiw	a0, a1, 0
	addiw	a0, a1, -1
	addiw	zero, zero, 0
	addiw	sp, sp, 2047
	slliw	a0, a1, 0
	slliw	a0, a1, 31
	srliw	a0, a1, 31
	sraiw	a0, a1, 7
	addw	a0, a1, a2
	subw	a0, a1, a2
	subw	a0, zero, a1
	sllw	a0, a1, a2
	srlw	a0, a1, a2
	sraw	a0, a1, a2

# ---- RV64I: fences and system ------------------------------------------------------------------------
	fence
	fence	iorw, iorw
	fence	rw, rw
	fence	r, w
	fence	iorw, ow
	fence	i, o
	fence	w, r
	fence.tso
	pause
	fence.i
	ecall
	ebreak
	# Encodings the hart accepts but objdump prints as data: fence with rd/rs1/fm set,
	# fence.i with operands, an empty fence set.
	.insn	4, 0x0ff0008f
	.insn	4, 0x0ff1000f
	.insn	4, 0x8ff0000f
	.insn	4, 0x0000000f
	.insn	4, 0x0010100f
	.insn	4, 0x0000108f

# ---- Zicsr --------------------------------------------------------------------------------------------
	csrrw	a0, mstatus, a1
	csrrw	zero, mstatus, a1
	csrrw	zero, mstatus, zero
	csrrw	zero, cycle, zero
	csrrw	a0, fflags, a1
	csrrw	zero, fflags, a1
	csrrw	a0, frm, a1
	csrrw	zero, frm, a1
	csrrw	a0, fcsr, a1
	csrrw	zero, fcsr, a1
	csrrw	t0, satp, t1
	csrrw	t0, 0x123, t1
	csrrw	t0, 0x7c0, t1
	csrrs	a0, mstatus, zero
	csrrs	zero, mstatus, zero
	csrrs	a0, mstatus, a1
	csrrs	zero, mie, a1
	csrrs	a0, fflags, zero
	csrrs	zero, fflags, zero
	csrrs	a0, frm, zero
	csrrs	a0, fcsr, zero
	csrrs	a0, cycle, zero
	csrrs	a0, time, zero
	csrrs	a0, instret, zero
	csrrs	a0, cycleh, zero
	csrrs	a0, hpmcounter3, zero
	csrrs	a0, hpmcounter31h, zero
	csrrs	a0, mhpmcounter17, zero
	csrrs	a0, mhpmevent9, zero
	csrrs	a0, pmpcfg0, zero
	csrrs	a0, pmpcfg15, zero
	csrrs	a0, pmpaddr0, zero
	csrrs	a0, pmpaddr63, zero
	csrrs	a0, mhartid, zero
	csrrs	a0, 0xfff, zero
	csrrs	a0, sscratch, zero
	csrrs	a0, sepc, zero
	csrrs	a0, stimecmp, zero
	csrrs	a0, menvcfg, zero
	csrrs	a0, mcountinhibit, zero
	csrrs	a0, vlenb, zero
	csrrc	a0, mip, a1
	csrrc	zero, mip, a1
	csrrc	a0, sip, zero
	csrrwi	a0, mstatus, 0
	csrrwi	zero, mstatus, 31
	csrrwi	a0, fflags, 5
	csrrwi	zero, fflags, 5
	csrrwi	a0, frm, 1
	csrrwi	zero, frm, 1
	csrrwi	a0, fcsr, 3
	csrrwi	zero, fcsr, 3
	csrrsi	a0, sstatus, 2
	csrrsi	zero, sstatus, 2
	csrrsi	a0, fflags, 0
	csrrci	a0, sie, 4
	csrrci	zero, sie, 4
	csrrci	zero, 0x800, 31

# ---- M ---------------------------------------------------------------------------------------------------
	mul	a0, a1, a2
	mulh	s0, s1, zero
	mulhsu	t0, t1, t2
	mulhu	zero, a3, a4
	div	a5, a6, a7
	divu	s2, s3, s4
	rem	s5, s6, s7
	remu	s8, s9, s10
	mulw	s11, t3, t4
	divw	t5, t6, ra
	divuw	sp, gp, tp
	remw	a0, a1, a2
	remuw	a3, a4, a5

# ---- A: every aq/rl combination ----------------------------------------------------------------------
	lr.w	a0, (a1)
	lr.w.aq	a0, (a1)
	lr.w.rl	t0, (sp)
	lr.w.aqrl	t0, (zero)
	sc.w	a0, a2, (a1)
	sc.w.aq	a0, a2, (a1)
	sc.w.rl	a0, a2, (a1)
	sc.w.aqrl	a0, zero, (a1)
	amoswap.w	a0, a2, (a1)
	amoswap.w.aqrl	zero, a2, (a1)
	amoadd.w	a0, a2, (a1)
	amoadd.w.aq	a0, a2, (a1)
	amoxor.w	a0, a2, (a1)
	amoxor.w.rl	a0, a2, (a1)
	amoand.w	a0, a2, (a1)
	amoor.w.aqrl	a0, a2, (a1)
	amomin.w	a0, a2, (a1)
	amomax.w.aq	a0, a2, (a1)
	amominu.w.rl	a0, a2, (a1)
	amomaxu.w	a0, a2, (a1)
	lr.d	a0, (a1)
	lr.d.aq	a0, (a1)
	lr.d.rl	a0, (a1)
	lr.d.aqrl	a0, (a1)
	sc.d	a0, a2, (a1)
	sc.d.aq	a0, a2, (a1)
	sc.d.rl	a0, a2, (a1)
	sc.d.aqrl	a0, a2, (a1)
	amoswap.d	a0, a2, (a1)
	amoswap.d.aq	a0, a2, (a1)
	amoadd.d	a0, a2, (a1)
	amoadd.d.aqrl	a0, a2, (a1)
	amoxor.d	a0, a2, (a1)
	amoand.d.rl	a0, a2, (a1)
	amoor.d	a0, a2, (a1)
	amomin.d.aq	a0, a2, (a1)
	amomax.d	a0, a2, (a1)
	amominu.d	a0, a2, (a1)
	amomaxu.d.aqrl	a0, a2, (a1)

# ---- F ------------------------------------------------------------------------------------------------------
	flw	fa0, 0(a0)
	flw	ft11, -2048(sp)
	fsw	fa0, 2047(a0)
	fsw	fs11, -4(zero)
	fmadd.s	fa0, fa1, fa2, fa3
	fmadd.s	fa0, fa1, fa2, fa3, rne
	fmadd.s	ft0, ft1, ft2, ft3, rtz
	fmsub.s	fa0, fa1, fa2, fa3, rdn
	fmsub.s	fa0, fa1, fa2, fa3, dyn
	fnmsub.s	fa0, fa1, fa2, fa3, rup
	fnmadd.s	fs0, fs1, fs2, fs3, rmm
	fadd.s	fa0, fa1, fa2
	fadd.s	fa0, fa1, fa2, rne
	fadd.s	fa0, fa1, fa2, rtz
	fadd.s	fa0, fa1, fa2, rdn
	fadd.s	fa0, fa1, fa2, rup
	fadd.s	fa0, fa1, fa2, rmm
	fsub.s	ft8, ft9, ft10, rne
	fmul.s	fa0, fa1, fa2
	fdiv.s	fa0, fa1, fa2, rmm
	fsqrt.s	fa0, fa1
	fsqrt.s	fa0, fa1, rtz
	fsgnj.s	fa0, fa1, fa2
	fsgnj.s	fa0, fa1, fa1
	fsgnjn.s	fa0, fa1, fa2
	fsgnjn.s	fa0, fa1, fa1
	fsgnjx.s	fa0, fa1, fa2
	fsgnjx.s	fa0, fa1, fa1
	fmin.s	fa0, fa1, fa2
	fmax.s	fa0, fa1, fa2
	fcvt.w.s	a0, fa1
	fcvt.w.s	a0, fa1, rtz
	fcvt.wu.s	a0, fa1, rne
	fcvt.l.s	a0, fa1, rdn
	fcvt.lu.s	a0, fa1
	fmv.x.w	a0, fa1
	feq.s	a0, fa1, fa2
	flt.s	zero, fa1, fa2
	fle.s	a0, fa1, fa1
	fclass.s	a0, fa1
	fcvt.s.w	fa0, a1
	fcvt.s.w	fa0, a1, rup
	fcvt.s.wu	fa0, zero, rmm
	fcvt.s.l	fa0, a1
	fcvt.s.lu	fa0, a1, rtz
	fmv.w.x	fa0, a1
	fmv.w.x	fa0, zero
	# Reserved rounding modes 5 and 6: objdump shows "unknown".
	.insn	4, 0x00c5d553
	.insn	4, 0x00c5e553

# ---- D ------------------------------------------------------------------------------------------------------
	fld	fa0, 0(a0)
	fld	ft11, -2048(sp)
	fsd	fa0, 2047(a0)
	fsd	fs11, -8(zero)
	fmadd.d	fa0, fa1, fa2, fa3
	fmadd.d	fa0, fa1, fa2, fa3, rup
	fmsub.d	fa0, fa1, fa2, fa3, rne
	fnmsub.d	fa0, fa1, fa2, fa3, rtz
	fnmadd.d	fa0, fa1, fa2, fa3, rdn
	fnmadd.d	fa0, fa1, fa2, fa3
	fadd.d	fa0, fa1, fa2
	fadd.d	fa0, fa1, fa2, rmm
	fsub.d	fa0, fa1, fa2, rtz
	fmul.d	fa0, fa1, fa2, rdn
	fdiv.d	fa0, fa1, fa2
	fsqrt.d	fa0, fa1, rup
	fsqrt.d	fa0, fa1
	fsgnj.d	fa0, fa1, fa2
	fsgnj.d	fa0, fa1, fa1
	fsgnjn.d	fa0, fa1, fa2
	fsgnjn.d	fa0, fa1, fa1
	fsgnjx.d	fa0, fa1, fa2
	fsgnjx.d	fa0, fa1, fa1
	fmin.d	fa0, fa1, fa2
	fmax.d	fa0, fa1, fa2
	fcvt.s.d	fa0, fa1
	fcvt.s.d	fa0, fa1, rne
	fcvt.d.s	fa0, fa1
	fcvt.w.d	a0, fa1, rtz
	fcvt.wu.d	a0, fa1
	fcvt.l.d	a0, fa1, rmm
	fcvt.lu.d	a0, fa1
	fmv.x.d	a0, fa1
	feq.d	a0, fa1, fa2
	flt.d	a0, fa1, fa2
	fle.d	a0, fa1, fa2
	fclass.d	a0, fa1
	fcvt.d.w	fa0, a1
	fcvt.d.wu	fa0, a1
	fcvt.d.l	fa0, a1
	fcvt.d.l	fa0, a1, rtz
	fcvt.d.lu	fa0, a1, rne
	fmv.d.x	fa0, a1
	# Exact conversions with a non-zero rm field: binutils 2.40 prints them as data.
	.insn	4, 0x42059553
	.insn	4, 0xd205f553
	.insn	4, 0xd215b553

# ---- Zba ----------------------------------------------------------------------------------------------------
	add.uw	a0, a1, a2
	add.uw	a0, a1, zero
	sh1add	a0, a1, a2
	sh2add	a0, a1, a2
	sh3add	a0, a1, a2
	sh1add.uw	a0, a1, a2
	sh2add.uw	a0, a1, a2
	sh3add.uw	a0, a1, a2
	slli.uw	a0, a1, 0
	slli.uw	a0, a1, 63

# ---- Zbb ----------------------------------------------------------------------------------------------------
	andn	a0, a1, a2
	orn	a0, a1, a2
	xnor	a0, a1, a2
	clz	a0, a1
	clzw	a0, a1
	ctz	a0, a1
	ctzw	a0, a1
	cpop	a0, a1
	cpopw	a0, a1
	max	a0, a1, a2
	maxu	a0, a1, a2
	min	a0, a1, a2
	minu	a0, a1, a2
	sext.b	a0, a1
	sext.h	a0, a1
	zext.h	a0, a1
	rol	a0, a1, a2
	rolw	a0, a1, a2
	ror	a0, a1, a2
	rori	a0, a1, 0
	rori	a0, a1, 63
	roriw	a0, a1, 31
	rorw	a0, a1, a2
	orc.b	a0, a1
	rev8	a0, a1

# ---- Zbs ----------------------------------------------------------------------------------------------------
	bclr	a0, a1, a2
	bclri	a0, a1, 63
	bext	a0, a1, a2
	bexti	a0, a1, 0
	binv	a0, a1, a2
	binvi	a0, a1, 32
	bset	a0, a1, a2
	bseti	a0, a1, 5

# ---- Zicond (czero.eqz: funct3 5, czero.nez: funct3 7, funct7 7) ----------------------------------------
	.insn	r 0x33, 5, 7, a0, a1, a2
	.insn	r 0x33, 5, 7, zero, zero, t6
	.insn	r 0x33, 7, 7, a0, a1, a2
	.insn	r 0x33, 7, 7, s11, ra, zero

# ---- Privileged ---------------------------------------------------------------------------------------------
	sret
	mret
	wfi
	sfence.vma
	sfence.vma	a0
	sfence.vma	a0, a1
	sfence.vma	zero, a1

# ---- C: every compressed form, including the hints objdump names -----------------------------------
	.option	rvc
cback:
	c.addi4spn	s0, sp, 4
	c.addi4spn	a5, sp, 1020
	c.fld	fs0, 0(s0)
	c.fld	fa5, 248(a5)
	c.lw	a0, 0(a1)
	c.lw	s1, 124(a5)
	c.ld	a0, 8(a1)
	c.ld	a5, 248(s0)
	c.fsd	fa0, 16(a1)
	c.sw	a0, 4(a1)
	c.sw	s0, 124(a5)
	c.sd	a0, 248(a1)
	c.sd	s1, 0(s1)
	c.nop
	.insn	2, 0x0005		# c.nop 1 (hint)
	.insn	2, 0x107d		# c.nop -1 (hint)
	c.addi	a0, 1
	c.addi	sp, -32
	c.addi	t6, 31
	.insn	2, 0x0081		# c.addi ra, 0 (hint)
	c.addiw	a0, 1
	c.addiw	a0, -32
	c.addiw	t0, 0
	c.li	a0, 0
	c.li	ra, -32
	c.li	t6, 31
	.insn	2, 0x4005		# c.li zero, 1 (hint)
	c.addi16sp	sp, 16
	c.addi16sp	sp, -512
	c.addi16sp	sp, 496
	c.lui	a0, 1
	c.lui	t6, 0x1f
	c.lui	ra, 0xfffe0
	c.lui	a0, 0xfffff
	.insn	2, 0x6005		# c.lui zero, 1 (hint)
	c.srli	a0, 1
	c.srli	s0, 63
	c.srli	a5, 32
	.insn	2, 0x8001		# c.srli64 s0
	c.srai	a0, 1
	c.srai	s1, 63
	.insn	2, 0x8401		# c.srai64 s0
	c.andi	a0, 0
	c.andi	a0, -1
	c.andi	s0, 31
	c.andi	a5, -32
	c.sub	a0, a1
	c.xor	s0, s1
	c.or	a4, a5
	c.and	a2, a3
	c.subw	a0, a1
	c.addw	s0, a5
	c.j	cback
	c.j	cforward
	c.beqz	a0, cback
	c.beqz	s1, cforward
	c.bnez	a5, cback
	c.bnez	s0, cforward
	c.slli	a0, 1
	c.slli	t6, 63
	c.slli	ra, 32
	.insn	2, 0x0006		# c.slli zero, 1 (hint)
	.insn	2, 0x0502		# c.slli64 a0
	c.fldsp	fa0, 0(sp)
	c.fldsp	ft11, 504(sp)
	c.lwsp	a0, 0(sp)
	c.lwsp	t6, 252(sp)
	c.ldsp	ra, 8(sp)
	c.ldsp	a0, 504(sp)
	c.jr	ra
	c.jr	a0
	c.jr	t6
	c.mv	a0, a1
	c.mv	t6, ra
	.insn	2, 0x800a		# c.mv zero, sp (hint)
	c.ebreak
	c.jalr	a0
	c.jalr	ra
	c.add	a0, a1
	c.add	sp, t6
	.insn	2, 0x902e		# c.add zero, a1 (hint)
	c.fsdsp	fa0, 0(sp)
	c.fsdsp	ft11, 504(sp)
	c.swsp	a0, 0(sp)
	c.swsp	zero, 252(sp)
	c.sdsp	ra, 8(sp)
	c.sdsp	a0, 504(sp)
	# Illegal and reserved compressed words: c.unimp, c.jr zero, c.lwsp zero, c.addi4spn with 0.
	.insn	2, 0x0000
	.insn	2, 0x8002
	.insn	2, 0x4002
	.insn	2, 0x0004
cforward:
	# An illegal 32-bit word (reserved major opcode).
	.insn	4, 0x0000006b
	ret
